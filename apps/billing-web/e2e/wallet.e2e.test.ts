import { describe, expect, it } from 'vitest';
import { shot, useE2E } from './harness.ts';

const e2e = useE2E();

describe('the wallet page', () => {
  it('Add funds: the amount is checked beside its label, Checkout is paid with 4242, and the credit shows after verify', async () => {
    const { page, context } = await e2e.openSession({ userId: 'wally' });
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Wallet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Wallet' }).waitFor();
    await page.getByText('No wallet activity yet.').waitFor();
    expect(await page.getByTestId('wallet-balance').textContent()).toBe('$0.00');

    const amount = page.getByLabel('Amount');
    await amount.fill('4.99');
    await page.getByRole('button', { name: 'Add funds' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Add between $5.00 and $500.00.');
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'wallet-amount-error');

    await amount.fill('25.00');
    await page.getByLabel('Currency').selectOption('usd');
    await page.getByRole('button', { name: 'Add funds' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel('Expiration').fill('12 / 34');
    await page.getByLabel('CVC').fill('123');
    await page.getByRole('button', { name: 'Pay' }).click();

    await page.getByText('Added $25.00 to your wallet.').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).search).toBe('');
    await page.getByRole('table', { name: 'Wallet history' }).getByText('Deposit through Stripe Checkout').waitFor();
    expect(await page.getByTestId('wallet-balance').textContent()).toBe('$25.00');
    await shot(page, 'wallet-after-deposit');

    // A reload after the webhook also landed: still one deposit.
    await page.reload();
    await page.getByRole('table', { name: 'Wallet history' }).waitFor();
    expect(await page.getByRole('table', { name: 'Wallet history' }).locator('tbody tr').count()).toBe(1);
    await context.close();
  });
});
