import type Stripe from 'stripe';
import { snapshot } from '../core/clone.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import type { Params } from '../core/params.ts';
import type { PendingLine } from '../core/store.ts';
import type { EventBatch } from './events.ts';
import { attemptInvoicePayment, issueSubscriptionUpdateInvoice, periodLines, prorationLines } from './invoices.ts';
import { consumeFailNextCharge, peekDecline } from './payments.ts';
import { applyItemChanges, parseItemChanges, PRORATION_BEHAVIORS, type ChangeResult, type ItemChange, type ProrationBehavior } from './plan-change.ts';
import { applyPaymentOutcome, scheduleRetry } from './subscription-lifecycle.ts';
import { applyTrialEnd } from './trial-end.ts';

const PAYMENT_BEHAVIORS = ['allow_incomplete', 'error_if_incomplete', 'pending_if_incomplete', 'default_incomplete'] as const;

/**
 * POST /v1/subscriptions/:id. Item changes prorate per proration_behavior; always_invoice (or an
 * interval change) bills now, and with payment_behavior=error_if_incomplete a declined card
 * leaves the subscription untouched and answers 402.
 */
export function updateSubscription(ctx: Ctx, id: string, params: Params): Stripe.Subscription {
  const sub = ctx.store.subscriptions.getOrThrow(id);
  if (sub.status === 'canceled' && (params.has('items') || params.has('cancel_at_period_end') || params.has('trial_end'))) {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
  const behavior = params.oneOf('proration_behavior', PRORATION_BEHAVIORS) ?? 'create_prorations';
  const paymentBehavior = params.oneOf('payment_behavior', PAYMENT_BEHAVIORS) ?? 'allow_incomplete';
  const prorationDate = params.int('proration_date') ?? ctx.clock.now();
  const changes = parseItemChanges(params);
  const before = snapshot(sub);
  const previous: Partial<Stripe.Subscription> = {};
  const billing = ctx.events.batch();

  const prorate = behavior !== 'none' && sub.status !== 'trialing';
  if (changes.length > 0) {
    refuseIfDeclining(ctx, sub, changes, { prorate, prorationDate, behavior, paymentBehavior });
    const itemsBefore = snapshot(sub.items);
    const result = applyItemChanges(ctx, sub, changes, { prorate, prorationDate });
    if (JSON.stringify(snapshot(sub.items)) !== JSON.stringify(itemsBefore)) previous.items = itemsBefore;
    if (result.resetCycle) previous.billing_cycle_anchor = before.billing_cycle_anchor;
    const lines = billedNow(ctx, sub, result, behavior);
    if (lines) {
      previous.latest_invoice = sub.latest_invoice;
      invoiceChange(ctx, sub, lines, result.resetCycle, billing);
    } else if (behavior === 'create_prorations') {
      ctx.store.pendingLines.set(sub.id, [...(ctx.store.pendingLines.get(sub.id) ?? []), ...result.credits, ...result.debits]);
    }
  }
  applyTrialEnd(ctx, sub, params, previous);
  applySimpleFields(ctx, sub, params, previous);
  if (Object.keys(previous).length > 0) {
    ctx.events.batch().add('customer.subscription.updated', sub, previous).commit();
  }
  billing.commit();
  return sub;
}

function applySimpleFields(ctx: Ctx, sub: Stripe.Subscription, params: Params, previous: Partial<Stripe.Subscription>): void {
  const cancelAtPeriodEnd = params.bool('cancel_at_period_end');
  if (cancelAtPeriodEnd !== undefined && cancelAtPeriodEnd !== sub.cancel_at_period_end) {
    Object.assign(previous, {
      cancel_at_period_end: sub.cancel_at_period_end,
      cancel_at: sub.cancel_at,
      canceled_at: sub.canceled_at,
      cancellation_details: sub.cancellation_details,
    });
    sub.cancel_at_period_end = cancelAtPeriodEnd;
    sub.cancel_at = cancelAtPeriodEnd ? (sub.items.data[0]?.current_period_end ?? null) : null;
    sub.canceled_at = cancelAtPeriodEnd ? ctx.clock.now() : null;
    sub.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: cancelAtPeriodEnd ? 'cancellation_requested' : null };
  }
  if (params.has('metadata')) {
    const metadata = params.metadata(sub.metadata);
    if (JSON.stringify(metadata) !== JSON.stringify(sub.metadata)) {
      previous.metadata = sub.metadata;
      sub.metadata = metadata;
    }
  }
  const pm = params.nullableString('default_payment_method');
  if (pm !== undefined && pm !== sub.default_payment_method) {
    if (pm) ctx.store.paymentMethods.getOrThrow(pm, 'default_payment_method');
    previous.default_payment_method = sub.default_payment_method;
    sub.default_payment_method = pm;
  }
  const description = params.nullableString('description');
  if (description !== undefined && description !== sub.description) {
    previous.description = sub.description;
    sub.description = description;
  }
}

/** Lines to invoice immediately (always_invoice, or an interval change), or null to leave them pending. */
function billedNow(ctx: Ctx, sub: Stripe.Subscription, result: ChangeResult, behavior: ProrationBehavior): PendingLine[] | null {
  if (!result.resetCycle && behavior !== 'always_invoice') return null;
  const lines = [...(ctx.store.pendingLines.get(sub.id) ?? []), ...result.credits, ...(result.resetCycle ? [] : result.debits)];
  return lines.length > 0 || result.resetCycle ? lines : null;
}

/**
 * error_if_incomplete / pending_if_incomplete: if the immediate charge would decline, reject the
 * whole update before touching anything. The change is dry-run on a copy to learn the amount.
 */
function refuseIfDeclining(
  ctx: Ctx,
  sub: Stripe.Subscription,
  changes: ItemChange[],
  options: { prorate: boolean; prorationDate: number; behavior: ProrationBehavior; paymentBehavior: string },
): void {
  if (options.paymentBehavior !== 'error_if_incomplete' && options.paymentBehavior !== 'pending_if_incomplete') return;
  const copy = snapshot(sub);
  const result = applyItemChanges(ctx, copy, changes, options);
  const lines = billedNow(ctx, copy, result, options.behavior);
  if (!lines) return;
  const customer = ctx.store.customers.getOrThrow(String(sub.customer), 'customer');
  const cycleTotal = result.resetCycle ? copy.items.data.reduce((sum, i) => sum + (i.price.unit_amount ?? 0) * (i.quantity ?? 1), 0) : 0;
  const due = lines.reduce((sum, l) => sum + l.amount, 0) + cycleTotal + Math.min(0, customer.balance);
  if (due <= 0) return;
  const pm = sub.default_payment_method ?? customer.invoice_settings.default_payment_method;
  const decline = peekDecline(ctx, customer.id, typeof pm === 'string' ? pm : (pm?.id ?? null));
  if (!decline) return;
  consumeFailNextCharge(ctx, customer.id);
  throw decline;
}

function invoiceChange(ctx: Ctx, sub: Stripe.Subscription, lines: PendingLine[], resetCycle: boolean, batch: EventBatch): void {
  ctx.store.pendingLines.delete(sub.id);
  const invoice = issueSubscriptionUpdateInvoice(ctx, sub, batch, (invoiceId) => [
    ...prorationLines(lines, sub, invoiceId),
    ...(resetCycle ? periodLines(ctx, sub, invoiceId, false) : []),
  ]);
  const result = attemptInvoicePayment(ctx, invoice, batch, { beforeFailureEvent: (inv) => scheduleRetry(ctx, inv) });
  applyPaymentOutcome(ctx, sub, invoice, result, batch);
}
