import { getPlanBySlugOrThrow } from '@aquoris/core';
import { planPrices } from '@aquoris/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payOnCheckout, shot, startE2E, type E2E } from './harness.ts';

// Issue 16: Pro at ฿299.00 a month or ฿2,990.00 a year (17% less than twelve months).
const YEARLY = 299_000;
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
  const deps = e2e.api.server.deps;
  const pro = await getPlanBySlugOrThrow(deps, 'pro');
  const price = await deps.stripe!.prices.create({ product: pro.stripeProductId!, unit_amount: YEARLY, currency: 'thb', recurring: { interval: 'year' } });
  await planPrices.upsert(deps.db.kysely, pro.id, { interval: 'year', amount: YEARLY, currency: 'thb', stripePriceId: price.id });
});
afterAll(async () => {
  await e2e?.close();
});

describe('billing period: monthly or yearly', () => {
  it('switches to Yearly with its saving, subscribes yearly, then moves Pro to monthly through the preview', async () => {
    const { page, context } = await e2e.openSession({ userId: 'ines', viewport: { width: 1280, height: 800 } });
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    const period = page.getByRole('group', { name: 'Billing period' });
    const pro = page.getByRole('listitem', { name: 'Pro' });
    await expect.poll(() => period.getByRole('radio', { name: 'Monthly' }).isChecked()).toBe(true);
    expect(await pro.locator('.plan-card-price').textContent()).toBe('฿299.00 / month');

    // Keyboard: from Monthly, the arrow key moves to Yearly.
    await period.getByRole('radio', { name: 'Monthly' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => period.getByRole('radio', { name: 'Yearly save 17%' }).isChecked()).toBe(true);
    expect(await pro.locator('.plan-card-price').textContent()).toBe('฿2,990.00 / year');
    expect(await page.getByRole('listitem', { name: 'Basic' }).textContent()).toContain('Not available yearly');
    await shot(page, 'intervals-yearly-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(fits).toBe(true);
    await shot(page, 'intervals-yearly-390');
    await page.setViewportSize({ width: 1280, height: 800 });

    await pro.getByRole('button', { name: 'Subscribe to Pro' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
    await payOnCheckout(page, '4242 4242 4242 4242', 'ines@example.com');
    await page.getByRole('heading', { level: 1, name: "You're all set" }).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'View billing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();

    // Back on Plans, a yearly subscriber starts on Yearly, where Pro is the current plan.
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    await pro.getByRole('button', { name: 'Your current plan' }).waitFor();
    expect(await period.getByRole('radio', { name: /^Yearly/ }).isChecked()).toBe(true);
    await period.getByRole('radio', { name: 'Monthly' }).check();
    await pro.getByRole('button', { name: 'Switch to monthly billing for Pro' }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch to Pro, billed monthly' });
    await dialog.getByText('Due today', { exact: true }).waitFor();
    expect(await dialog.textContent()).toMatch(/you'll pay ฿299\.00 \/ month/i);
    await shot(page, 'intervals-switch-monthly-1280', { viewportOnly: true });
    await dialog.getByRole('button', { name: /^(Switch to Pro, billed monthly|Pay ฿[\d,.]+ and switch)$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain("You're now on Pro.");
    await expect.poll(async () => (await e2e.eligibility('ines')).base?.plan.slug).toBe('pro');
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    await pro.getByRole('button', { name: 'Your current plan' }).waitFor();
    expect(await period.getByRole('radio', { name: 'Monthly' }).isChecked()).toBe(true);
    await context.close();
  });
});
