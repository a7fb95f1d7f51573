import { refundInvoice } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, startE2E, subscribeThroughUi, type E2E } from './harness.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('after an operator refunds and cancels', () => {
  it('the billing page says what happened (canceled, refunded, how much), not "no plan yet"', async () => {
    const { page, context } = await e2e.openSession({ userId: 'rita', viewport: { width: 1280, height: 800 } });
    await subscribeThroughUi(page, 'Pro', 'rita@example.com');
    const plan = page.getByRole('region', { name: 'Current plan' });
    await plan.getByText('Renews on').waitFor();
    const customer = await e2e.api.prisma.customer.findFirstOrThrow({ where: { externalUserId: 'rita' } });
    const invoice = await e2e.api.prisma.invoice.findFirstOrThrow({ where: { customerId: customer.id } });
    await refundInvoice(e2e.api.server.deps, { type: 'admin', adminId: 'adm_e2e' }, { invoiceId: invoice.id, cancelSubscription: true });
    await e2e.emulator.flushWebhooks(20_000);

    await page.reload();
    await plan.getByText('Ended', { exact: true }).waitFor({ timeout: 20_000 });
    await plan.getByText(/was canceled on \w+ \d+, \d{4} and ฿299\.00 was refunded/).waitFor({ timeout: 20_000 });
    expect(await plan.textContent()).not.toContain("don't have");
    await shot(page, 'dashboard-refunded-canceled');
    await context.close();
  }, 120_000);
});
