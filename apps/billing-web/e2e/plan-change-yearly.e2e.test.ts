import { TEST_ACTOR } from '@aquoris/api/testing';
import { createPlanWithStripePrice } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, startE2E, subscribeThroughUi, type E2E } from './harness.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
  await createPlanWithStripePrice(e2e.api.server.deps, TEST_ACTOR, {
    slug: 'pro-yearly',
    name: 'Annual',
    priceAmount: 299000,
    currency: 'thb',
    interval: 'year',
  });
});
afterAll(async () => {
  await e2e?.close();
});

describe('switching to a yearly plan', () => {
  it("the dialog words Stripe's lines in ฿, says a new yearly period starts, and puts Keep first beside Pay", async () => {
    const { page, context } = await e2e.openSession({ userId: 'yara' });
    await subscribeThroughUi(page, 'Pro', 'yara@example.com');
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    // Annual is sold yearly only: it is bought from the Yearly side of the billing period switch.
    await page
      .getByRole('group', { name: 'Billing period' })
      .getByRole('radio', { name: /^Yearly/ })
      .check();
    await page.getByRole('listitem', { name: 'Annual' }).getByRole('button', { name: 'Switch to Annual' }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch to Annual' });
    await dialog.getByText('Due today').waitFor();
    await shot(page, 'dialog-plan-change-yearly', { viewportOnly: true });

    const content = (await dialog.locator('.dialog-content').textContent()) ?? '';
    expect(content).not.toMatch(/×|THB|\(at |rest of this billing period/);
    expect(content).toMatch(/Unused time on Pro \(/);
    expect(content).toMatch(/Annual \(\w{3} \d+, \d{4} – \w{3} \d+, \d{4}\)฿2,990\.00/);
    expect(content).toMatch(/today for Annual until \w+ \d+, \d{4}, less the unused time on Pro\./);

    const keep = await dialog.getByRole('button', { name: 'Keep current plan' }).boundingBox();
    const pay = await dialog.getByRole('button', { name: /^Pay ฿[\d,.]+ and switch$/ }).boundingBox();
    expect(keep && pay).toBeTruthy();
    // Side by side on one row, Keep on the left: as in the cancel dialog.
    expect(Math.abs(keep!.y - pay!.y)).toBeLessThan(2);
    expect(keep!.x + keep!.width).toBeLessThanOrEqual(pay!.x);
    await context.close();
  });
});
