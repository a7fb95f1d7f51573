import { invoices, locks, refunds, type InvoiceRow, type RefundRow, type Tx } from '@aquoris/db';
import { recordInvoiceRevenue } from '../metrics/record.ts';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { formatMoney, parseMajorUnits } from '../money.ts';
import { RefundFormInput } from '../invoices/schemas.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { mapRefundStatus } from '../stripe/mapping.ts';
import { invalidField, parseInput } from '../validation.ts';
import { cancelSubscriptionAfterRefund } from './cancel.ts';
import { RefundInvoiceInput, type RefundResult, type RefundView } from './schemas.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';

export function toRefundView(r: RefundRow): RefundView {
  return {
    id: r.id,
    invoiceId: r.invoiceId,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    stripeRefundId: r.stripeRefundId,
    createdAt: r.createdAt.toISOString(),
  };
}

const createdBy = (actor: OperatorActor) => (actor.type === 'admin' ? actor.adminId : actor.type === 'cli' ? `cli:${actor.user}` : `system:${actor.name}`);

/** What is left to refund: paid, minus refunds that are pending or went through. */
async function checkAmount(tx: Tx, invoiceId: string, requested: number | undefined): Promise<{ invoice: InvoiceRow; amount: number; priorRefunds: number }> {
  const invoice = await invoices.findById(tx, invoiceId);
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND', 'Invoice not found');
  const prior = await refunds.listForInvoice(tx, invoiceId);
  if (invoice.status !== 'PAID') throw new AppError('INVOICE_NOT_PAID', `Only paid invoices can be refunded (this one is ${invoice.status})`);
  const taken = prior.filter((r) => r.status === 'PENDING' || r.status === 'SUCCEEDED').reduce((sum, r) => sum + r.amount, 0);
  const remaining = invoice.amountPaid - taken;
  if (remaining <= 0) throw new AppError('INVOICE_ALREADY_REFUNDED', 'This invoice has been refunded in full already');
  const amount = requested ?? remaining;
  if (amount > remaining) {
    throw invalidField('amount', `${formatMoney(amount, invoice.currency)} is more than the refundable remainder ${formatMoney(remaining, invoice.currency)}`);
  }
  return { invoice, amount, priorRefunds: prior.length };
}

/**
 * Refunds an invoice in full or in part. Stripe invoices are refunded through
 * their payment (invoice_payments → payment_intent) and recorded PENDING until
 * `charge.refunded` confirms them; manual invoices get a bookkeeping entry
 * only. With `cancelSubscription`, the subscription is canceled immediately
 * afterwards; if that fails the refund still stands and a warning says so.
 */
export async function refundInvoice(deps: Deps, actor: OperatorActor, raw: RefundInvoiceInput): Promise<RefundResult> {
  const input = parseInput(RefundInvoiceInput, raw);
  const invoice = await findInvoiceOrThrow(deps, input.invoiceId);
  // An issued invoice is paid through its own payment intent, which charge.refunded does not map back yet.
  if (invoice.source === 'ISSUED') throw new AppError('NO_CAPTURED_PAYMENT', 'An issued invoice paid by card is refunded in the Stripe Dashboard');
  const refund =
    invoice.source === 'STRIPE'
      ? await refundStripeInvoice(await stripeFor(deps, invoice.appId), actor, invoice, input)
      : await refundManualInvoice(deps, actor, invoice, input);
  const warning = input.cancelSubscription ? await cancelSubscriptionAfterRefund(deps, actor, invoice) : null;
  return { refund: toRefundView(refund), warning };
}

/** An invoice by our id or by its Stripe invoice id (in_...), as an operator may have either at hand. */
export async function findInvoiceOrThrow(deps: Pick<Deps, 'db'>, id: string): Promise<InvoiceRow> {
  const invoice = (await invoices.findById(deps.db.kysely, id)) ?? (id.startsWith('in_') ? await invoices.findByStripeId(deps.db.kysely, id) : undefined);
  if (!invoice) throw new AppError('INVOICE_NOT_FOUND', `Invoice ${id} not found`);
  return invoice;
}

/**
 * The admin "Refund" form: the amount in the invoice's major units ("120.50"; omitted, the whole
 * refundable remainder), then as refundInvoice.
 */
export async function refundInvoiceFromForm(deps: Deps, actor: OperatorActor, raw: RefundFormInput): Promise<RefundResult> {
  const input = parseInput(RefundFormInput, raw);
  const invoice = await findInvoiceOrThrow(deps, input.invoiceId);
  let amount: number | undefined;
  if (input.amount !== undefined) {
    const parsed = parseMajorUnits(input.amount, invoice.currency);
    if (!parsed.ok) throw invalidField('amount', parsed.message);
    amount = parsed.minor;
  }
  return refundInvoice(deps, actor, {
    invoiceId: invoice.id,
    ...(amount !== undefined ? { amount } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    cancelSubscription: input.cancelSubscription,
  });
}

async function refundManualInvoice(deps: Deps, actor: OperatorActor, invoice: InvoiceRow, input: { amount?: number | undefined; reason?: string | undefined }) {
  return deps.db.transaction(async (tx) => {
    await locks.lockKey(tx, `manual:inv:${invoice.id}`);
    const { amount } = await checkAmount(tx, invoice.id, input.amount);
    const refund = await refunds.insert(tx, {
      invoiceId: invoice.id,
      amount,
      currency: invoice.currency,
      status: 'SUCCEEDED',
      reason: input.reason ?? null,
      createdById: createdBy(actor),
    });
    await invoices.addRefunded(tx, invoice.id, amount);
    await recordInvoiceRevenue(tx, invoice);
    await recordAudit(tx, actor, {
      action: 'refund.recorded',
      targetType: 'invoice',
      targetId: invoice.id,
      details: { refundId: refund.id, amount, currency: invoice.currency, source: 'MANUAL' },
    });
    return refund;
  });
}

/** Since API version basil an invoice carries no payment_intent: its paid invoice payment does. */
export async function findInvoicePaymentIntent(deps: StripeDeps, stripeInvoiceId: string): Promise<string> {
  const payments = await callStripe(deps, 'invoice payments list', () => deps.stripe.invoicePayments.list({ invoice: stripeInvoiceId, limit: 20 }));
  const paid = payments.data.find((p) => p.status === 'paid' && p.payment.type === 'payment_intent');
  const pi = paid?.payment.payment_intent;
  if (!pi) throw new AppError('NO_CAPTURED_PAYMENT', 'This invoice has no captured payment to refund');
  return typeof pi === 'string' ? pi : pi.id;
}

/**
 * A Stripe invoice's refund, with no Stripe call inside a transaction: a short one checks the amount under
 * the invoice's lock (the one charge.refunded takes), then Stripe is asked with no lock held, then a second
 * short one records the refund and its audit entry. The idempotency key names the invoice, its refund count
 * and the amount: a retry after a failed write, or the same request sent twice at once, is one refund in
 * Stripe, recorded once (upserted on its Stripe id, so a charge.refunded that got there first is kept).
 */
async function refundStripeInvoice(
  deps: StripeDeps,
  actor: OperatorActor,
  invoice: InvoiceRow,
  input: { amount?: number | undefined; reason?: string | undefined },
) {
  const stripeInvoiceId = invoice.stripeInvoiceId!;
  const { amount, priorRefunds } = await deps.db.transaction(async (tx) => {
    await locks.lockKey(tx, `stripe:inv:${stripeInvoiceId}`);
    return checkAmount(tx, invoice.id, input.amount);
  });
  const paymentIntent = invoice.stripePaymentIntentId ?? (await findInvoicePaymentIntent(deps, stripeInvoiceId));
  const stripeRefund = await callStripe(deps, 'refund create', () =>
    deps.stripe.refunds.create(
      { payment_intent: paymentIntent, amount, reason: 'requested_by_customer', metadata: { invoiceId: invoice.id } },
      { idempotencyKey: `aqb-refund-${invoice.id}-${priorRefunds}-${amount}` },
    ),
  );
  const status = mapRefundStatus(stripeRefund.status) === 'FAILED' ? 'FAILED' : 'PENDING';
  return deps.db.transaction(async (tx) => {
    await locks.lockKey(tx, `stripe:inv:${stripeInvoiceId}`);
    const refund = await refunds.upsertByStripeId(
      tx,
      {
        invoiceId: invoice.id,
        amount,
        currency: invoice.currency,
        status,
        reason: input.reason ?? null,
        stripeRefundId: stripeRefund.id,
        createdById: createdBy(actor),
        livemode: invoice.livemode,
      },
      { reason: input.reason ?? null, createdById: createdBy(actor) },
    );
    await invoices.update(tx, invoice.id, { stripePaymentIntentId: paymentIntent });
    await recordInvoiceRevenue(tx, invoice);
    await recordAudit(tx, actor, {
      action: 'refund.created',
      targetType: 'invoice',
      targetId: invoice.id,
      details: { refundId: refund.id, stripeRefundId: stripeRefund.id, amount, currency: invoice.currency, source: 'STRIPE' },
    });
    return refund;
  });
}
