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

    await e2e.advanceDays(32);
    // The worker applies the renewal webhooks asynchronously: reload until the invoice is there.
    await expect.poll(
      async () => {
        await page.reload();
        await page.getByRole('region', { name: 'Invoice history' }).locator('table, .empty').first().waitFor();
        return rows.count();
      },
      { timeout: 20_000, interval: 500 },
    ).toBe(2);
    const texts = await rows.allTextContents();
    for (const text of texts) {
      expect(text).toContain('฿299.00');
      expect(text).toContain('Paid');
    }
    expect(texts[0]).not.toBe(texts[1]);
    await shot(page, 'dashboard-invoices-after-renewal');
    expect((await e2e.eligibility('lee')).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' } });
    await context.close();
  });
});
