import type Stripe from 'stripe';
import { buildSubscription, buildSubscriptionItem } from '../builders/subscription.ts';
import type { Ctx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import type { EventBatch } from './events.ts';
import { attemptInvoicePayment, createDraftInvoice, finalizeInvoice, periodLines, type InvoicePaymentResult } from './invoices.ts';
import { periodEndAfter, SECONDS_PER_DAY } from './periods.ts';

export interface StartSubscriptionInput {
  customer: string;
  items: Array<{ price: Stripe.Price; quantity: number }>;
  trialDays: number | null;
  metadata: Record<string, string>;
  description: string | null;
  defaultPaymentMethod: string | null;
}

/**
 * Creates a subscription with its first invoice (draft -> open -> paid), as Checkout does after a
 * successful payment. With a trial the first invoice is a $0 one and the status is trialing.
 */
export function startSubscription(
  ctx: Ctx,
  input: StartSubscriptionInput,
  batch: EventBatch,
): { subscription: Stripe.Subscription; invoice: Stripe.Invoice; payment: InvoicePaymentResult } {
  const now = ctx.clock.now();
  const subId = newId('sub');
  const first = input.items[0];
  if (!first?.price.recurring) throw new Error('subscription needs a recurring price');
  const trialEnd = input.trialDays ? now + input.trialDays * SECONDS_PER_DAY : null;
  const periodEnd = trialEnd ?? periodEndAfter(now, first.price.recurring, now);
  const items = input.items.map(({ price, quantity }) =>
    buildSubscriptionItem({ id: newId('si'), now, subscription: subId, price, quantity, periodStart: now, periodEnd }),
  );
  const sub = buildSubscription({
    id: subId,
    now,
    customer: input.customer,
    currency: first.price.currency,
    items,
    status: 'incomplete',
    billingCycleAnchor: periodEnd,
    trialStart: trialEnd ? now : null,
    trialEnd,
    defaultPaymentMethod: input.defaultPaymentMethod,
    metadata: input.metadata,
    description: input.description,
  });
  sub.test_clock = ctx.store.customers.get(input.customer)?.test_clock ?? null;
  ctx.store.subscriptions.set(sub);
  const invoiceId = newId('in');
  const invoice = createDraftInvoice(ctx, sub, {
    id: invoiceId,
    billingReason: 'subscription_create',
    lines: periodLines(ctx, sub, invoiceId, trialEnd !== null),
    periodStart: now,
    periodEnd: now,
  });
  batch.add('invoice.created', invoice);
  finalizeInvoice(ctx, invoice);
  batch.add('invoice.finalized', invoice);
  sub.latest_invoice = invoice.id;
  const payment = attemptInvoicePayment(ctx, invoice, batch);
  sub.status = payment.ok ? (trialEnd ? 'trialing' : 'active') : 'incomplete';
  batch.add('customer.subscription.created', sub);
  return { subscription: sub, invoice, payment };
}

/** Retry schedule for a failed invoice, per the dunning settings (documented in the README). */
export function scheduleRetry(ctx: Ctx, invoice: Stripe.Invoice): void {
  const { retryIntervalSeconds, maxAttempts } = ctx.settings.dunning;
  invoice.next_payment_attempt = invoice.attempt_count < maxAttempts ? ctx.clock.now() + retryIntervalSeconds : null;
}

/** Moves the subscription's status after a renewal, retry or manual payment of one of its invoices. */
export function applyPaymentOutcome(ctx: Ctx, sub: Stripe.Subscription, invoice: Stripe.Invoice, result: InvoicePaymentResult, batch: EventBatch): void {
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') return;
  if (result.ok) {
    if (sub.status === 'past_due' || sub.status === 'unpaid' || sub.status === 'incomplete') {
      setStatus(sub, 'active', batch);
    }
    return;
  }
  if (sub.status === 'active' || sub.status === 'trialing') setStatus(sub, 'past_due', batch);
  if (invoice.next_payment_attempt !== null) return;
  if (ctx.settings.dunning.finalAction === 'cancel') {
    cancelNow(ctx, sub, batch, 'payment_failed');
  } else if (sub.status !== 'unpaid') {
    setStatus(sub, 'unpaid', batch);
  }
}

function setStatus(sub: Stripe.Subscription, status: Stripe.Subscription.Status, batch: EventBatch): void {
  const previous = { status: sub.status };
  sub.status = status;
  batch.add('customer.subscription.updated', sub, previous);
}

/** Ends the subscription now; later periods are not billed and open invoices stop being retried. */
export function cancelNow(ctx: Ctx, sub: Stripe.Subscription, batch: EventBatch, reason: Stripe.Subscription.CancellationDetails.Reason): void {
  const now = ctx.clock.now();
  sub.status = 'canceled';
  sub.ended_at = now;
  sub.canceled_at = sub.canceled_at ?? now;
  sub.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason };
  for (const invoice of ctx.store.invoices.newestFirst()) {
    if (invoice.status === 'open' && invoice.parent?.subscription_details?.subscription === sub.id) invoice.next_payment_attempt = null;
  }
  ctx.store.pendingLines.delete(sub.id);
  batch.add('customer.subscription.deleted', sub);
}

export function currentPeriod(sub: Stripe.Subscription): { start: number; end: number } {
  const item = sub.items.data[0];
  if (!item) throw new Error(`subscription ${sub.id} has no items`);
  return { start: item.current_period_start, end: item.current_period_end };
}
