import type Stripe from 'stripe';
import { buildInvoice, buildInvoicePayment, buildLine } from '../builders/invoice.ts';
import type { Ctx } from '../core/context.ts';
import type { StripeApiError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { formatAmount } from '../core/money.ts';
import type { PendingLine } from '../core/store.ts';
import type { EventBatch } from './events.ts';
import { addPaymentSucceededEvents, confirmPaymentIntent, createPaymentIntent, noPaymentMethod } from './payments.ts';

export function productName(ctx: Ctx, price: Stripe.Price): string {
  const productId = typeof price.product === 'string' ? price.product : price.product.id;
  return ctx.store.products.get(productId)?.name ?? productId;
}

/** "1 × Pro (at $20.00 / month)", Stripe's wording for a subscription line. */
export function describeItem(ctx: Ctx, price: Stripe.Price, quantity: number): string {
  const every = price.recurring ? ` / ${price.recurring.interval_count > 1 ? `${price.recurring.interval_count} ` : ''}${price.recurring.interval}` : '';
  return `${quantity} × ${productName(ctx, price)} (at ${formatAmount(price.unit_amount ?? 0, price.currency)}${every})`;
}

/** One line per subscription item for the period the items are currently in. */
export function periodLines(ctx: Ctx, sub: Stripe.Subscription, invoiceId: string | null, trial: boolean): Stripe.InvoiceLineItem[] {
  return sub.items.data.map((item) => {
    const quantity = item.quantity ?? 1;
    return buildLine({
      id: newId('il'),
      invoice: invoiceId,
      amount: trial ? 0 : (item.price.unit_amount ?? 0) * quantity,
      currency: item.price.currency,
      description: trial ? `Trial period for ${productName(ctx, item.price)}` : describeItem(ctx, item.price, quantity),
      price: item.price,
      quantity,
      period: { start: item.current_period_start, end: item.current_period_end },
      subscription: sub.id,
      subscriptionItem: item.id,
      proration: false,
    });
  });
}

export function prorationLines(pending: PendingLine[], sub: Stripe.Subscription, invoiceId: string | null): Stripe.InvoiceLineItem[] {
  return pending.map((line) =>
    buildLine({
      id: line.id,
      invoice: invoiceId,
      amount: line.amount,
      currency: line.price.currency,
      description: line.description,
      price: line.price,
      quantity: line.quantity,
      period: line.period,
      subscription: sub.id,
      subscriptionItem: line.subscriptionItem,
      proration: true,
    }),
  );
}

/** Creates and stores a draft invoice for a subscription; the caller stages invoice.created. */
export function createDraftInvoice(
  ctx: Ctx,
  sub: Stripe.Subscription,
  input: { id: string; billingReason: Stripe.Invoice.BillingReason; lines: Stripe.InvoiceLineItem[]; periodStart: number; periodEnd: number },
): Stripe.Invoice {
  const customer = ctx.store.customers.getOrThrow(String(sub.customer), 'customer');
  const invoice = buildInvoice({ ...input, now: ctx.clock.now(), customer, currency: sub.currency, subscription: sub });
  return ctx.store.invoices.set(invoice);
}

/**
 * The invoice a subscription change bills at once (billing_reason subscription_update, dated now):
 * created, made the subscription's latest invoice, and finalized. Paying it is the caller's.
 */
export function issueSubscriptionUpdateInvoice(
  ctx: Ctx,
  sub: Stripe.Subscription,
  batch: EventBatch,
  linesFor: (invoiceId: string) => Stripe.InvoiceLineItem[],
): Stripe.Invoice {
  const id = newId('in');
  const now = ctx.clock.now();
  const invoice = createDraftInvoice(ctx, sub, { id, billingReason: 'subscription_update', lines: linesFor(id), periodStart: now, periodEnd: now });
  sub.latest_invoice = invoice.id;
  batch.add('invoice.created', invoice);
  finalizeInvoice(ctx, invoice);
  batch.add('invoice.finalized', invoice);
  return invoice;
}

/**
 * Finalizes a draft: numbers it, applies the customer's credit balance (a negative total adds
 * credit instead), and publishes the hosted page and PDF URLs.
 */
export function finalizeInvoice(ctx: Ctx, invoice: Stripe.Invoice): void {
  const customer = ctx.store.customers.getOrThrow(String(invoice.customer), 'customer');
  invoice.starting_balance = customer.balance;
  if (invoice.total < 0) {
    customer.balance += invoice.total;
    invoice.amount_due = 0;
  } else {
    const applied = Math.min(invoice.total, Math.max(0, -customer.balance));
    customer.balance += applied;
    invoice.amount_due = invoice.total - applied;
  }
  invoice.ending_balance = customer.balance;
  invoice.amount_remaining = invoice.amount_due;
  const sequence = customer.next_invoice_sequence ?? 1;
  customer.next_invoice_sequence = sequence + 1;
  invoice.number = `${customer.invoice_prefix ?? 'INV'}-${String(sequence).padStart(4, '0')}`;
  invoice.status = 'open';
  invoice.status_transitions.finalized_at = ctx.clock.now();
  invoice.effective_at = ctx.clock.now();
  invoice.hosted_invoice_url = `${ctx.settings.baseUrl}/i/${invoice.id}`;
  invoice.invoice_pdf = `${ctx.settings.baseUrl}/i/${invoice.id}/pdf`;
}

export interface InvoicePaymentResult {
  ok: boolean;
  error: StripeApiError | null;
}

/**
 * Tries to collect an open invoice with the subscription's or the customer's default card.
 * `beforeFailureEvent` lets the caller set the retry schedule before invoice.payment_failed is snapshotted.
 */
export function attemptInvoicePayment(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  batch: EventBatch,
  options: { paymentMethod?: string; beforeFailureEvent?: (invoice: Stripe.Invoice) => void } = {},
): InvoicePaymentResult {
  if (invoice.amount_due === 0) {
    markPaid(ctx, invoice, batch);
    return { ok: true, error: null };
  }
  invoice.attempted = true;
  invoice.attempt_count += 1;
  const paymentMethod = options.paymentMethod ?? defaultPaymentMethod(ctx, invoice);
  const pi = invoicePaymentIntent(ctx, invoice);
  const outcome = paymentMethod ? confirmPaymentIntent(ctx, pi, paymentMethod, batch) : { charge: null, error: noPaymentMethod() };
  if (outcome.error || !outcome.charge) {
    options.beforeFailureEvent?.(invoice);
    batch.add('invoice.payment_failed', invoice);
    return { ok: false, error: outcome.error };
  }
  const payment = ctx.store.invoicePayments.newestFirst().find((p) => p.invoice === invoice.id);
  if (payment) {
    payment.status = 'paid';
    payment.amount_paid = invoice.amount_due;
    payment.status_transitions.paid_at = ctx.clock.now();
  }
  markPaid(ctx, invoice, batch);
  addPaymentSucceededEvents(pi, outcome.charge, batch);
  return { ok: true, error: null };
}

function markPaid(ctx: Ctx, invoice: Stripe.Invoice, batch: EventBatch): void {
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = ctx.clock.now();
  batch.add('invoice.paid', invoice);
  batch.add('invoice.payment_succeeded', invoice);
}

export function subscriptionIdOf(invoice: Stripe.Invoice): string | null {
  const sub = invoice.parent?.subscription_details?.subscription;
  return sub ? (typeof sub === 'string' ? sub : sub.id) : null;
}

function defaultPaymentMethod(ctx: Ctx, invoice: Stripe.Invoice): string | null {
  const subId = subscriptionIdOf(invoice);
  const sub = subId ? ctx.store.subscriptions.get(subId) : undefined;
  const customer = ctx.store.customers.get(String(invoice.customer));
  const fromSub = sub?.default_payment_method;
  const fromCustomer = customer?.invoice_settings.default_payment_method;
  const id = fromSub ?? fromCustomer ?? null;
  return typeof id === 'string' || id === null ? id : id.id;
}

/** One payment intent per invoice, reused by every retry; the invoice payment links the two. */
function invoicePaymentIntent(ctx: Ctx, invoice: Stripe.Invoice): Stripe.PaymentIntent {
  const existing = ctx.store.invoicePayments.newestFirst().find((p) => p.invoice === invoice.id);
  const existingPi = existing?.payment.payment_intent;
  if (existingPi) return ctx.store.paymentIntents.getOrThrow(typeof existingPi === 'string' ? existingPi : existingPi.id);
  const pi = createPaymentIntent(ctx, {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: String(invoice.customer),
    description: invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
  });
  ctx.store.invoicePayments.set(buildInvoicePayment({ id: newId('inpay'), now: ctx.clock.now(), invoice, paymentIntent: pi.id }));
  return pi;
}
