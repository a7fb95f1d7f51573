import { invoices, locks, refunds, type Tx } from '@aquoris/db';
import { syncStripeInvoice } from '../invoices/stripe-sync.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { idOf, mapRefundStatus, toCurrency } from '../stripe/mapping.ts';

async function findInvoiceForPayment(deps: StripeDeps, tx: Tx, chargeId: string, paymentIntentId: string | null) {
  const known = await invoices.findStripeByPayment(tx, chargeId, paymentIntentId);
  if (known || !paymentIntentId) return known;
  // A refund made elsewhere (e.g. the Stripe dashboard): find the invoice through its payment.
  const payments = await callStripe(deps, 'invoice payments list', () =>
    deps.stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntentId }, limit: 1 }),
  );
  const stripeInvoiceId = idOf(payments.data[0]?.invoice);
  if (!stripeInvoiceId) return null;
  return (await invoices.findByStripeId(tx, stripeInvoiceId)) ?? (await syncStripeInvoice(deps, tx, stripeInvoiceId)).invoice;
}

/**
 * `charge.refunded`: records or confirms every refund of the charge (upsert
 * on the Stripe refund id) and sets the invoice's amountRefunded to the sum
 * of the refunds that went through. Reads the refunds after taking the
 * invoice lock, so it converges whatever the order of events.
 */
export async function syncStripeChargeRefunds(deps: StripeDeps, tx: Tx, chargeId: string) {
  const charge = await callStripe(deps, 'charge retrieve', () => deps.stripe.charges.retrieve(chargeId));
  const paymentIntentId = idOf(charge.payment_intent);
  const invoice = await findInvoiceForPayment(deps, tx, chargeId, paymentIntentId);
  if (!invoice?.stripeInvoiceId) return { skipped: 'no invoice of ours is paid by this charge' };
  await locks.lockKey(tx, `stripe:inv:${invoice.stripeInvoiceId}`);
  const stripeRefunds = await callStripe(deps, 'refunds list', () => deps.stripe.refunds.list({ charge: chargeId, limit: 100 }));
  for (const r of stripeRefunds.data) {
    const currency = toCurrency(r.currency) ?? invoice.currency;
    await refunds.upsertByStripeId(
      tx,
      { invoiceId: invoice.id, amount: r.amount, currency, status: mapRefundStatus(r.status), reason: r.reason ?? null, stripeRefundId: r.id },
      { amount: r.amount, status: mapRefundStatus(r.status) },
    );
  }
  const amountRefunded = await refunds.sumSucceeded(tx, invoice.id);
  await invoices.update(tx, invoice.id, { amountRefunded, stripeChargeId: chargeId, ...(paymentIntentId ? { stripePaymentIntentId: paymentIntentId } : {}) });
  return { invoiceId: invoice.id, refunds: stripeRefunds.data.length, amountRefunded };
}
