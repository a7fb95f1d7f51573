import type { PrismaTx } from '../locks.ts';
import { lockKey } from '../locks.ts';
import { syncStripeInvoice } from '../invoices/stripe-sync.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { idOf, mapRefundStatus, toCurrency } from '../stripe/mapping.ts';

async function findInvoiceForPayment(deps: StripeDeps, tx: PrismaTx, chargeId: string, paymentIntentId: string | null) {
  const known = await tx.invoice.findFirst({
    where: { OR: [{ stripeChargeId: chargeId }, ...(paymentIntentId ? [{ stripePaymentIntentId: paymentIntentId }] : [])], source: 'STRIPE' },
  });
  if (known || !paymentIntentId) return known;
  // A refund made elsewhere (e.g. the Stripe dashboard): find the invoice through its payment.
  const payments = await callStripe(deps, 'invoice payments list', () =>
    deps.stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntentId }, limit: 1 }),
  );
  const stripeInvoiceId = idOf(payments.data[0]?.invoice);
  if (!stripeInvoiceId) return null;
  return (await tx.invoice.findUnique({ where: { stripeInvoiceId } })) ?? (await syncStripeInvoice(deps, tx, stripeInvoiceId)).invoice;
}

/**
 * `charge.refunded`: records or confirms every refund of the charge (upsert
 * on the Stripe refund id) and sets the invoice's amountRefunded to the sum
 * of the refunds that went through. Reads the refunds after taking the
 * invoice lock, so it converges whatever the order of events.
 */
export async function syncStripeChargeRefunds(deps: StripeDeps, tx: PrismaTx, chargeId: string) {
  const charge = await callStripe(deps, 'charge retrieve', () => deps.stripe.charges.retrieve(chargeId));
  const paymentIntentId = idOf(charge.payment_intent);
  const invoice = await findInvoiceForPayment(deps, tx, chargeId, paymentIntentId);
  if (!invoice?.stripeInvoiceId) return { skipped: 'no invoice of ours is paid by this charge' };
  await lockKey(tx, `stripe:inv:${invoice.stripeInvoiceId}`);
  const refunds = await callStripe(deps, 'refunds list', () => deps.stripe.refunds.list({ charge: chargeId, limit: 100 }));
  for (const r of refunds.data) {
    const currency = toCurrency(r.currency) ?? invoice.currency;
    await tx.refund.upsert({
      where: { stripeRefundId: r.id },
      create: { invoiceId: invoice.id, amount: r.amount, currency, status: mapRefundStatus(r.status), reason: r.reason ?? null, stripeRefundId: r.id },
      update: { amount: r.amount, status: mapRefundStatus(r.status) },
    });
  }
  const total = await tx.refund.aggregate({ where: { invoiceId: invoice.id, status: 'SUCCEEDED' }, _sum: { amount: true } });
  const amountRefunded = total._sum.amount ?? 0;
  await tx.invoice.update({
    where: { id: invoice.id },
    data: { amountRefunded, stripeChargeId: chargeId, ...(paymentIntentId ? { stripePaymentIntentId: paymentIntentId } : {}) },
  });
  return { invoiceId: invoice.id, refunds: refunds.data.length, amountRefunded };
}
