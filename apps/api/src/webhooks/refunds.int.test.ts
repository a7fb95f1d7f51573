import { refundInvoice, type AdminActor } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));
const admin: AdminActor = { type: 'admin', adminId: 'adm_refunds' };

const deps = () => stack.api.server.deps;
const db = () => stack.api.prisma;

/** A subscriber with a paid pro subscription and its (only) invoice. */
async function paidInvoice(user: string) {
  const sub = await stack.subscriber(catalog.app, user);
  const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
  await settle(stack);
  const invoice = await db().invoice.findFirstOrThrow({ where: { customerId: sub.customerId } });
  return { sub, invoice, stripeSubscriptionId };
}

async function confirmed(refundId: string) {
  return waitFor(
    async () => {
      const r = await db().refund.findUniqueOrThrow({ where: { id: refundId } });
      return r.status === 'SUCCEEDED' ? r : null;
    },
    { what: 'charge.refunded to confirm the refund' },
  );
}

describe('refunds of Stripe invoices', () => {
  it('full: PENDING, then confirmed by charge.refunded; nothing is left to refund', async () => {
    const { invoice } = await paidInvoice('full');
    const { refund, warning } = await refundInvoice(deps(), admin, { invoiceId: invoice.id, reason: 'asked nicely' });
    expect(refund).toMatchObject({ amount: 29900, currency: 'thb', status: 'PENDING', reason: 'asked nicely' });
    expect(warning).toBeNull();
    const inStripe = await stack.stripe.refunds.retrieve(refund.stripeRefundId!);
    expect(inStripe.amount).toBe(29900);
    await confirmed(refund.id);
    await settle(stack);
    expect((await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).amountRefunded).toBe(29900);
    expect(await db().refund.count({ where: { invoiceId: invoice.id } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: 'refund.created', targetId: invoice.id, actorId: admin.adminId } })).toBe(1);
    await expect(refundInvoice(deps(), admin, { invoiceId: invoice.id, amount: 1 })).rejects.toMatchObject({ code: 'INVOICE_ALREADY_REFUNDED' });
  });

  it('partial: amounts are checked against the refundable remainder', async () => {
    const { invoice, sub } = await paidInvoice('partial');
    const first = await refundInvoice(deps(), admin, { invoiceId: invoice.id, amount: 10000 });
    await expect(refundInvoice(deps(), admin, { invoiceId: invoice.id, amount: 25000 })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'amount: ฿250.00 is more than the refundable remainder ฿199.00',
    });
    await expect(refundInvoice(deps(), admin, { invoiceId: invoice.id, amount: 0 })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    const second = await refundInvoice(deps(), admin, { invoiceId: invoice.id, amount: 19900 });
    await confirmed(first.refund.id);
    await confirmed(second.refund.id);
    await settle(stack);
    expect((await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).amountRefunded).toBe(29900);
    const listed = (await sub.query('billing.invoices')).invoices[0];
    expect(listed).toMatchObject({ amount: 29900, amountRefunded: 29900 });
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE' }); // a refund alone does not cancel
  });

  it('with "also cancel immediately": the subscription ends now', async () => {
    const { invoice, sub, stripeSubscriptionId } = await paidInvoice('cancel-now');
    const result = await refundInvoice(deps(), admin, { invoiceId: invoice.id, cancelSubscription: true });
    expect(result.warning).toBeNull();
    expect((await stack.stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('canceled');
    expect(await sub.eligibility()).toEqual({ base: null, addons: [] });
    // The billing page then says what happened: the plan that ended, when, and what was refunded.
    await confirmed(result.refund.id);
    const { subscription, lastEnded } = await sub.query('billing.subscription.get');
    expect(subscription).toBeNull();
    expect(lastEnded).toEqual({ planName: 'PRO', endedAt: expect.any(String), status: 'CANCELED', refundedAmount: 29900, currency: 'thb' });
  });

  it('the card on file comes from Stripe: brand and last 4 of the card paid with, none without a customer', async () => {
    const { sub } = await paidInvoice('card-on-file');
    expect(await sub.query('billing.paymentMethod')).toEqual({
      card: { brand: 'visa', last4: '4242', expMonth: expect.any(Number), expYear: expect.any(Number) },
    });
    const newcomer = await stack.subscriber(catalog.app, 'no-card-yet');
    expect(await newcomer.query('billing.paymentMethod')).toEqual({ card: null });
    expect((await newcomer.query('billing.subscription.get')).lastEnded).toBeNull();
  });

  it('if the cancellation fails the refund is still recorded, with a warning', async () => {
    const { invoice, sub, stripeSubscriptionId } = await paidInvoice('cancel-fails');
    await stack.control('POST', '/faults', { method: 'DELETE', path: '/v1/subscriptions/:id', status: 500 });
    try {
      const result = await refundInvoice(deps(), admin, { invoiceId: invoice.id, amount: 5000, cancelSubscription: true });
      expect(result.refund).toMatchObject({ amount: 5000, status: 'PENDING' });
      expect(result.warning).toMatch(/refund was recorded, but the subscription could not be canceled/);
    } finally {
      await stack.control('DELETE', '/faults');
    }
    expect((await stack.stripe.subscriptions.retrieve(stripeSubscriptionId)).status).toBe('active');
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE' });
    expect(await db().auditLog.count({ where: { action: 'subscription.cancel_failed' } })).toBe(1);
  });

  it('a refund made in Stripe directly is recorded by the webhook', async () => {
    const { invoice } = await paidInvoice('dashboard');
    const payments = await stack.stripe.invoicePayments.list({ invoice: invoice.stripeInvoiceId! });
    const pi = payments.data[0]!.payment.payment_intent as string;
    const made = await stack.stripe.refunds.create({ payment_intent: pi, amount: 1234 });
    const row = await waitFor(() => db().refund.findUnique({ where: { stripeRefundId: made.id } }));
    expect(row).toMatchObject({ invoiceId: invoice.id, amount: 1234, status: 'SUCCEEDED', createdById: null });
    await settle(stack);
    expect((await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).amountRefunded).toBe(1234);
  });
});

describe('refunds of manual invoices', () => {
  it('are bookkeeping entries only (Stripe is never called)', async () => {
    const sub = await stack.subscriber(catalog.app, 'wire');
    const invoice = await db().invoice.create({
      data: {
        appId: catalog.app.id,
        customerId: sub.customerId,
        source: 'MANUAL',
        status: 'PAID',
        amount: 50000,
        amountPaid: 50000,
        currency: 'thb',
        paymentMethod: 'bank_transfer',
      },
    });
    await stack.control('POST', '/faults', { path: '/v1', status: 500 });
    try {
      const { refund } = await refundInvoice(deps(), admin, { invoiceId: invoice.id, amount: 20000 });
      expect(refund).toMatchObject({ status: 'SUCCEEDED', amount: 20000, stripeRefundId: null });
    } finally {
      await stack.control('DELETE', '/faults');
    }
    expect((await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).amountRefunded).toBe(20000);
    await expect(refundInvoice(deps(), admin, { invoiceId: invoice.id, amount: 30001 })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(refundInvoice(deps(), admin, { invoiceId: 'nope' })).rejects.toMatchObject({ code: 'INVOICE_NOT_FOUND' });
    const listed = (await sub.query('billing.invoices')).invoices[0];
    expect(listed).toMatchObject({ source: 'MANUAL', amountRefunded: 20000, description: 'Bank transfer' }); // how the money arrived, in words
  });
});
