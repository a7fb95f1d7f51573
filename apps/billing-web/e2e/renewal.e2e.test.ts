import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, startE2E, subscribeThroughUi, type E2E } from './harness.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('renewals', () => {
  it('the invoice list shows the renewal invoice after the emulator clock passes the period end', async () => {
    const { page, context } = await e2e.openSession({ userId: 'lee' });
    await subscribeThroughUi(page, 'Pro', 'lee@example.com');
    const rows = page.getByRole('region', { name: 'Invoice history' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);

    await context.close();

    // A month later (the API's clock follows the emulator's), the subscriber comes back through a fresh link.
    await e2e.advanceDays(32);
    const later = await e2e.openSession({ userId: 'lee' });
    const laterRows = later.page.getByRole('region', { name: 'Invoice history' }).locator('tbody tr');
    // The worker applies the renewal webhooks asynchronously: reload until the invoice is there.
    await expect
      .poll(
        async () => {
          await later.page.reload();
          await later.page.locator('section[aria-labelledby="invoices-heading"][aria-busy="false"]').waitFor();
          return laterRows.count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(2);
    const texts = await laterRows.allTextContents();
    for (const text of texts) {
      expect(text).toContain('฿299.00');
      expect(text).toContain('Paid');
    }
    expect(texts[0]).not.toBe(texts[1]);
    await shot(later.page, 'dashboard-invoices-after-renewal');
    expect((await e2e.eligibility('lee')).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' } });
    await later.context.close();
  });
});
