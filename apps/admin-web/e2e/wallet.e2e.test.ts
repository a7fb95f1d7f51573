import { ensureCustomer } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { shot, useConsoleE2E } from './harness.ts';

const e2e = useConsoleE2E({ stripe: true });

/** A customer with a paid 20.00 USD deposit (REST deposit → Checkout paid on the emulator → verify). */
async function customerWithDeposit() {
  const { api } = e2e;
  const stack = e2e.stack!;
  const app = await api.createApp({ slug: 'walletapp', name: 'Wallet App' });
  const customer = await ensureCustomer(api.server.deps, app.id, 'wendy', { email: 'wendy@example.com', name: 'Wendy Wallet' });
  const call = async (method: string, path: string, json?: unknown) =>
    (await api.request(`/api/v1${path}`, { method, apiKey: app.apiKey, ...(json ? { json } : {}) })).json() as Promise<any>;
  const started = await call('POST', '/customers/wendy/wallet/deposits', {
    amountCents: 2000,
    currency: 'usd',
    successUrl: 'https://walletapp.example.com/w?session_id={CHECKOUT_SESSION_ID}',
    cancelUrl: 'https://walletapp.example.com/w',
  });
  const sessionId = /\/(cs_[A-Za-z0-9_]+)/.exec(started.url)![1]!;
  expect((await stack.control('POST', `/checkout_sessions/${sessionId}/pay`, { card: '4242424242424242' })).status).toBe(200);
  expect(await call('GET', `/wallet/deposits/verify?session_id=${sessionId}`)).toMatchObject({ deposited: true });
  return { customer, call };
}

describe('the customer page wallet', () => {
  it('shows the wallet, adjusts it with a required reason (audited once), and refunds a spent deposit only once the negative balance is confirmed', async () => {
    const { customer, call } = await customerWithDeposit();
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, `customers/${customer.id}`);
    const wallet = page.getByRole('region', { name: 'Wallet' });
    await wallet.getByRole('table', { name: 'Wallet history' }).getByText('Deposit through Stripe Checkout').waitFor();
    expect(await wallet.getByLabel('Wallet balances').textContent()).toContain('$20.00');

    await wallet.getByRole('button', { name: 'Adjust wallet' }).click();
    const dialog = page.getByRole('dialog', { name: 'Adjust wallet' });
    await dialog.getByLabel('Amount (+/-)').fill('-5.00');
    await dialog.getByRole('button', { name: 'Adjust wallet' }).click();
    await dialog.getByText('a reason is required').waitFor();
    await shot(page, 'wallet-adjust-reason-required');
    await dialog.getByLabel('Reason').fill('Goodwill correction');
    await dialog.getByRole('button', { name: 'Adjust wallet' }).click();
    await page.getByText('Wallet adjusted by -$5.00; the balance is $15.00.').waitFor();
    const audited = await e2e.api.prisma.auditLog.count({ where: { action: 'wallet.adjusted', targetId: customer.id } });
    expect(audited).toBe(1);

    // The customer spends 10.00: the 20.00 deposit can no longer be taken back in full.
    await call('POST', '/customers/wendy/wallet/debits', { amountCents: 1000, currency: 'usd', description: 'Tool call', idempotencyKey: 'e2e-spend' });
    await page.reload();
    await wallet.getByRole('button', { name: 'Refund deposit' }).click();
    const refund = page.getByRole('dialog', { name: 'Refund deposit' });
    await refund.getByRole('button', { name: 'Refund deposit' }).click();
    await refund.getByText('confirm the negative balance', { exact: false }).waitFor();
    await refund.getByLabel('The funds were spent', { exact: false }).check();
    await shot(page, 'wallet-refund-confirm-negative');
    await refund.getByRole('button', { name: 'Refund deposit' }).click();
    await page.getByText('Deposit of $20.00 refunded; the wallet balance is -$15.00.').waitFor();
    expect(await wallet.getByLabel('Wallet balances').textContent()).toContain('-$15.00');
    expect(await wallet.getByText('Deposit (refunded)').count()).toBe(1);
    await shot(page, 'wallet-customer-page');
    await page.context().close();
  });
});
