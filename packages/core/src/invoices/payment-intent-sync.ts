import { invoices, type InvoiceRow, type Tx } from '@aquoris/db';
import type Stripe from 'stripe';
import type { Deps } from '../deps.ts';
import { recordInvoiceRevenue } from '../metrics/record.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { idOf } from '../stripe/mapping.ts';
import { isStaleRead } from '../stripe/read-ticket.ts';
import { INVOICE_METADATA_KEY } from './payment-intent.ts';

/** The invoice a payment intent's event copy names (we set it when handing the intent out), or null: then it is none of ours. */
export function invoiceIdOfPaymentIntent(snapshot: unknown): string | null {
  const metadata = (snapshot as { metadata?: unknown } | null)?.metadata;
  const id = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[INVOICE_METADATA_KEY] : undefined;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/** Stripe's current state of one payment intent. Call with no transaction open. */
export function readStripePaymentIntent(deps: StripeDeps, paymentIntentId: string): Promise<Stripe.PaymentIntent> {
  return callStripe(deps, 'payment intent retrieve', () => deps.stripe.paymentIntents.retrieve(paymentIntentId));
}

/** "Your card was declined. (generic_decline)": what the last attempt's error says, for the invoice and the audit log. */
export function describePaymentError(error: Stripe.PaymentIntent.LastPaymentError): string {
  const code = error.decline_code ?? error.code;
  return `${error.message ?? 'The payment failed.'}${code ? ` (${code})` : ''}`.slice(0, 1024);
}

export interface PaymentIntentSyncResult {
  invoiceId: string | null;
  invoiceStatus: string | null;
  paymentIntentStatus: string;
  failureReason?: string | null;
  skipped?: string;
}

function fieldsFor(deps: Pick<Deps, 'clock'>, invoice: InvoiceRow, pi: Stripe.PaymentIntent) {
  const chargeId = idOf(pi.latest_charge);
  if (pi.status === 'succeeded') {
    const paid = { paymentFailureReason: null, stripeChargeId: chargeId ?? invoice.stripeChargeId };
    // A Stripe invoice's own status, amounts and paid time come from its invoice events (invoice.paid).
    if (invoice.source !== 'ISSUED') return paid;
    return { ...paid, status: 'PAID' as const, amountPaid: pi.amount_received, paidAt: invoice.paidAt ?? deps.clock.now() };
  }
  if (pi.last_payment_error) {
    const reason = describePaymentError(pi.last_payment_error);
    return reason === invoice.paymentFailureReason ? {} : { paymentFailureReason: reason, paymentFailedAt: deps.clock.now() };
  }
  return {};
}

/**
 * Brings the invoice a payment intent collects to the intent's state, read with ticket `ticket`: succeeded marks
 * an issued invoice PAID with the amount received and the charge (and its revenue), and clears a recorded failure;
 * a failed attempt records Stripe's reason. Under the invoice's row lock, unless a newer read of the intent was
 * applied, so duplicates and any order of events leave the same row.
 */
export async function applyStripePaymentIntent(deps: StripeDeps, tx: Tx, pi: Stripe.PaymentIntent, ticket: string): Promise<PaymentIntentSyncResult> {
  const base = { paymentIntentStatus: pi.status, invoiceId: null, invoiceStatus: null };
  const invoiceId = invoiceIdOfPaymentIntent(pi);
  const invoice = invoiceId ? await invoices.findByIdForUpdate(tx, invoiceId) : undefined;
  if (!invoice || (invoice.stripePaymentIntentId && invoice.stripePaymentIntentId !== pi.id)) {
    return { ...base, skipped: 'no invoice of ours is collected by this payment intent' };
  }
  const at = { ...base, invoiceId: invoice.id, invoiceStatus: invoice.status };
  if (isStaleRead(ticket, invoice.paymentReadTicket)) return { ...at, skipped: 'a newer Stripe read is already applied' };
  const fields = fieldsFor(deps, invoice, pi);
  const changed = Object.entries(fields).some(([key, value]) => {
    const was = invoice[key as keyof InvoiceRow];
    return value instanceof Date ? !(was instanceof Date) || was.getTime() !== value.getTime() : was !== value;
  });
  const updated = await invoices.update(tx, invoice.id, { ...(changed ? fields : {}), stripePaymentIntentId: pi.id, paymentReadTicket: ticket });
  if (changed && invoice.source === 'ISSUED') await recordInvoiceRevenue(tx, updated);
  return { ...at, invoiceStatus: updated.status, failureReason: updated.paymentFailureReason };
}
