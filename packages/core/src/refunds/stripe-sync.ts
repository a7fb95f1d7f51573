import { invoices, locks, refunds, type Tx } from '@aquoris/db';
import { recordInvoiceRevenue } from '../metrics/record.ts';
import type Stripe from 'stripe';
import { applyStripeInvoice, readStripeInvoice, type StripeInvoiceRead } from '../invoices/stripe-sync.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { idOf, mapRefundStatus, toCurrency } from '../stripe/mapping.ts';

/** One read of a refunded charge: its refunds, the Stripe invoice it paid, and that invoice when we have not recorded it yet. */
export interface StripeChargeRead {
  chargeId: string;
  paymentIntentId: string | null;
  stripeInvoiceId: string | null;
  refunds: Stripe.Refund[];
  /** The invoice (and its subscription), when no row of ours records it yet. */
  unrecordedInvoice: StripeInvoiceRead | null;
}

async function stripeInvoiceOf(deps: StripeDeps, chargeId: string, paymentIntentId: string | null): Promise<string | null> {
  const known = await invoices.findStripeByPayment(deps.db.kysely, chargeId, paymentIntentId);
  if (known || !paymentIntentId) return known?.stripeInvoiceId ?? null;
  // A refund made elsewhere (e.g. the Stripe dashboard): find the invoice through its payment.
  const payments = await callStripe(deps, 'invoice payments list', () =>
    deps.stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntentId }, limit: 1 }),
  );
  return idOf(payments.data[0]?.invoice);
}

/** Stripe's current state of a charge's refunds. Call with no transaction open. */
export async function readStripeCharge(deps: StripeDeps, chargeId: string): Promise<StripeChargeRead> {
  const charge = await callStripe(deps, 'charge retrieve', () => deps.stripe.charges.retrieve(chargeId));
  const paymentIntentId = idOf(charge.payment_intent);
  const stripeInvoiceId = await stripeInvoiceOf(deps, chargeId, paymentIntentId);
  if (!stripeInvoiceId) return { chargeId, paymentIntentId, stripeInvoiceId, refunds: [], unrecordedInvoice: null };
  const recorded = await invoices.findByStripeId(deps.db.kysely, stripeInvoiceId);
  const unrecordedInvoice = recorded ? null : await readStripeInvoice(deps, stripeInvoiceId);
  const stripeRefunds = await callStripe(deps, 'refunds list', () => deps.stripe.refunds.list({ charge: chargeId, limit: 100 }));
  return { chargeId, paymentIntentId, stripeInvoiceId, refunds: stripeRefunds.data, unrecordedInvoice };
}

/**
 * `charge.refunded`: records or confirms every refund of the charge (upserted on the Stripe refund id,
 * unless a newer read of it was applied) and sets the invoice's amountRefunded to the sum of the refunds
 * that went through, under the invoice's lock (the one an operator's refund holds until it is recorded).
 */
export async function applyStripeChargeRefunds(deps: StripeDeps, tx: Tx, read: StripeChargeRead, ticket: string) {
  if (read.unrecordedInvoice) await applyStripeInvoice(deps, tx, read.unrecordedInvoice, ticket);
  const skipped = { skipped: 'no invoice of ours is paid by this charge' };
  if (!read.stripeInvoiceId) return skipped;
  await locks.lockKey(tx, `stripe:inv:${read.stripeInvoiceId}`);
  const invoice = await invoices.findByStripeId(tx, read.stripeInvoiceId);
  if (!invoice) return skipped;
  for (const r of read.refunds) {
    const status = mapRefundStatus(r.status);
    await refunds.upsertStripeRead(
      tx,
      {
        invoiceId: invoice.id,
        amount: r.amount,
        currency: toCurrency(r.currency) ?? invoice.currency,
        status,
        reason: r.reason ?? null,
        stripeRefundId: r.id,
        stripeReadTicket: ticket,
        livemode: invoice.livemode,
      },
      { amount: r.amount, status },
    );
  }
  const amountRefunded = await refunds.sumSucceeded(tx, invoice.id);
  await invoices.update(tx, invoice.id, {
    amountRefunded,
    stripeChargeId: read.chargeId,
    ...(read.paymentIntentId ? { stripePaymentIntentId: read.paymentIntentId } : {}),
  });
  await recordInvoiceRevenue(tx, invoice);
  return { invoiceId: invoice.id, refunds: read.refunds.length, amountRefunded };
}
