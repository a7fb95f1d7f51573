import { issueInvoice } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { TEST_ACTOR } from '@aquoris/api/testing';
import { shot, useE2E } from './harness.ts';

const e2e = useE2E();

describe('Pay now on an issued invoice', () => {
  it('declined with 4000 0000 0000 0002 (the reason shown), then paid with 4242 4242 4242 4242 on the same payment intent', async () => {
    const { page, context } = await e2e.openSession({ userId: 'ivy' });
    const customer = await e2e.api.prisma.customer.findFirstOrThrow({ where: { externalUserId: 'ivy' } });
    const issued = await issueInvoice(e2e.api.server.deps, TEST_ACTOR, {
      customerId: customer.id,
      amount: '1,500.00',
      currency: 'thb',
      description: 'Onboarding workshop',
      dueDate: '2031-01-31',
    });
    await page.reload();
    const invoices = page.getByRole('region', { name: 'Invoice history' });
    const row = invoices.getByRole('row').filter({ hasText: 'Onboarding workshop' });
    await row.getByText('Due', { exact: true }).waitFor();
    expect(await row.textContent()).toContain('฿1,500.00');
    await shot(page, 'invoice-open');

    const billingUrl = page.url();
    await row.getByRole('button', { name: /^Pay now/ }).click();
    await page.getByLabel('Card number').fill('4000 0000 0000 0002');
    await shot(page, 'pay-page');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('alert').getByText('Your card was declined.').waitFor();
    await shot(page, 'pay-page-declined');
    await page.goto(billingUrl);
    await row.getByText(/Last payment failed: Your card was declined/).waitFor({ timeout: 20_000 });
    await shot(page, 'invoice-declined');
    const firstPi = (await e2e.api.prisma.invoice.findUniqueOrThrow({ where: { id: issued.invoiceId } })).stripePaymentIntentId;

    await row.getByRole('button', { name: /^Pay now/ }).click();
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(/\/billing\/\?paid=/);
    await row.getByText('Paid', { exact: true }).waitFor({ timeout: 20_000 });
    await shot(page, 'invoice-paid');
    const paid = await e2e.api.prisma.invoice.findUniqueOrThrow({ where: { id: issued.invoiceId } });
    expect(paid).toMatchObject({ status: 'PAID', amountPaid: 150000, paymentFailureReason: null, stripePaymentIntentId: firstPi });
    expect(await row.getByRole('button', { name: /^Pay now/ }).count()).toBe(0);
    await context.close();
  });
});
