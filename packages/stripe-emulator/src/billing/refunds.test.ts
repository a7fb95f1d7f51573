import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createPlan, subscribeViaCheckout } from '../testing/factories.ts';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

/** Pays a $20 subscription and finds its payment the way the service must since basil: via invoice_payments. */
async function paidInvoicePayment() {
  const price = await createPlan(h.stripe);
  const { session } = await subscribeViaCheckout(h, price);
  const payments = await h.stripe.invoicePayments.list({ invoice: String(session.invoice) });
  const paymentIntent = String(payments.data[0]?.payment.payment_intent);
  const pi = await h.stripe.paymentIntents.retrieve(paymentIntent);
  await h.flush();
  h.receiver.clear();
  return { paymentIntent, charge: String(pi.latest_charge) };
}

describe('refunds', () => {
  it('refunds part of a payment by payment_intent, then the rest by charge', async () => {
    const { paymentIntent, charge } = await paidInvoicePayment();
    const partial = await h.stripe.refunds.create({ payment_intent: paymentIntent, amount: 500, reason: 'requested_by_customer', metadata: { ticket: 'T-1' } });
    expect(partial).toMatchObject({
      object: 'refund',
      amount: 500,
      status: 'succeeded',
      charge,
      payment_intent: paymentIntent,
      reason: 'requested_by_customer',
      metadata: { ticket: 'T-1' },
    });
    expect(await h.stripe.charges.retrieve(charge)).toMatchObject({ amount_refunded: 500, refunded: false });

    const rest = await h.stripe.refunds.create({ charge });
    expect(rest.amount).toBe(1500);
    const refunded = await h.stripe.charges.retrieve(charge, { expand: ['refunds'] });
    expect(refunded).toMatchObject({ amount_refunded: 2000, refunded: true });
    expect(refunded.refunds?.data.map((r) => r.amount)).toEqual([1500, 500]);
    expect((await h.stripe.refunds.list({ charge })).data).toHaveLength(2);
    expect(await h.stripe.refunds.retrieve(partial.id)).toMatchObject({ id: partial.id, amount: 500 });

    await h.flush();
    expect(h.receiver.types()).toEqual(['charge.refunded', 'refund.created', 'charge.refunded', 'refund.created']);
    const first = h.receiver.accepted()[0] as Stripe.ChargeRefundedEvent;
    expect(first.data.object).toMatchObject({ amount_refunded: 500, refunded: false });
    expect(first.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false });
  });

  it('refuses to refund more than remains, and a fully refunded charge', async () => {
    const { paymentIntent, charge } = await paidInvoicePayment();
    await h.stripe.refunds.create({ charge, amount: 1200 });
    const tooMuch = await h.stripe.refunds.create({ payment_intent: paymentIntent, amount: 801 }).catch((e: unknown) => e);
    expect(tooMuch).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      code: 'amount_too_large',
      param: 'amount',
      message: 'Refund amount ($8.01) is greater than unrefunded amount on charge ($8.00)',
    });
    await h.stripe.refunds.create({ charge });
    await expect(h.stripe.refunds.create({ charge })).rejects.toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    await expect(h.stripe.refunds.create({ amount: 1 })).rejects.toMatchObject({ statusCode: 400 });
    await expect(h.stripe.refunds.create({ charge: 'ch_missing' })).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'charge' });
  });

  it('does not refund a failed charge', async () => {
    const price = await createPlan(h.stripe);
    const { subscription } = await subscribeViaCheckout(h, price);
    await h.control('POST', `/customers/${String(subscription.customer)}/fail_next_charge`);
    await h.control('POST', '/clock/advance', { seconds: 32 * 86_400 });
    const failed = (await h.stripe.charges.list({ customer: String(subscription.customer) })).data.find((c) => c.status === 'failed');
    expect(failed).toBeDefined();
    await expect(h.stripe.refunds.create({ charge: String(failed?.id) })).rejects.toMatchObject({ code: 'charge_not_refundable' });
  });
});
