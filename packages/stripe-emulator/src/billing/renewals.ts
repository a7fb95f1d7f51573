import type Stripe from 'stripe';
import { snapshot } from '../core/clone.ts';
import type { Ctx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import { expireCheckoutSession } from './checkout.ts';
import { attemptInvoicePayment, createDraftInvoice, finalizeInvoice, periodLines, prorationLines, subscriptionIdOf } from './invoices.ts';
import { periodEndAfter, SECONDS_PER_DAY } from './periods.ts';
import { applyPaymentOutcome, cancelNow, currentPeriod, scheduleRetry } from './subscription-lifecycle.ts';

interface DueWork {
  at: number;
  /** Breaks ties between work due at the same second: notices, then renewals, retries, expiries. */
  priority: number;
  run: () => void;
}

const RENEWING: ReadonlySet<string> = new Set(['trialing', 'active', 'past_due']);

/**
 * Moves the virtual clock forward, running every piece of due work in time order with the clock
 * pinned to the moment it fell due. A jump over several periods renews several times. Customers on
 * a test clock are left alone: their time moves only when their test clock advances.
 */
export function advanceClock(ctx: Ctx, seconds: number): { now: number; processed: number } {
  const from = ctx.clock.now();
  const target = from + seconds;
  const processed = runDueWork(ctx, { from, to: target, clockId: null });
  ctx.clock.moveTo(target);
  return { now: ctx.clock.now(), processed };
}

/**
 * Runs the work due up to `to` for the customers of one time line: the emulator's own clock
 * (`clockId` null) or one test clock. Work already overdue runs at `from`.
 */
export function runDueWork(ctx: Ctx, window: { from: number; to: number; clockId: string | null }): number {
  const inScope = (customer: string | Stripe.Customer | Stripe.DeletedCustomer | null) => clockIdOf(ctx, customer) === window.clockId;
  let processed = 0;
  for (let work = nextDue(ctx, window.to, inScope); work; work = nextDue(ctx, window.to, inScope)) {
    const due = work;
    ctx.clock.runPinned(Math.max(due.at, window.from), () => due.run());
    processed += 1;
    if (processed > 100_000) throw new Error('clock advance did not settle');
  }
  return processed;
}

function clockIdOf(ctx: Ctx, customer: string | Stripe.Customer | Stripe.DeletedCustomer | null): string | null {
  const id = typeof customer === 'string' ? customer : (customer?.id ?? null);
  const clock = id ? ctx.store.customers.get(id)?.test_clock : null;
  return (typeof clock === 'string' ? clock : clock?.id) ?? null;
}

type InScope = (customer: string | Stripe.Customer | Stripe.DeletedCustomer | null) => boolean;

function nextDue(ctx: Ctx, target: number, inScope: InScope): DueWork | null {
  const candidates: DueWork[] = [];
  for (const sub of ctx.store.subscriptions.newestFirst()) {
    if (!inScope(sub.customer)) continue;
    if (sub.status === 'trialing' && sub.trial_end && !ctx.store.trialWillEndSent.has(sub.id)) {
      const at = Math.max(sub.trial_end - 3 * SECONDS_PER_DAY, sub.created);
      if (at <= target) candidates.push({ at, priority: 0, run: () => noticeTrialWillEnd(ctx, sub) });
    }
    if (RENEWING.has(sub.status) && currentPeriod(sub).end <= target) {
      candidates.push({ at: currentPeriod(sub).end, priority: 1, run: () => rollSubscription(ctx, sub) });
    }
  }
  for (const invoice of ctx.store.invoices.newestFirst()) {
    const at = invoice.next_payment_attempt;
    if (invoice.status === 'open' && at !== null && at <= target && inScope(invoice.customer)) {
      candidates.push({ at, priority: 2, run: () => retryInvoice(ctx, invoice) });
    }
  }
  for (const session of ctx.store.checkoutSessions.newestFirst()) {
    if (session.status === 'open' && session.expires_at <= target && inScope(session.customer)) {
      candidates.push({ at: session.expires_at, priority: 3, run: () => expireCheckoutSession(ctx, session) });
    }
  }
  candidates.sort((a, b) => a.at - b.at || a.priority - b.priority);
  return candidates[0] ?? null;
}

function noticeTrialWillEnd(ctx: Ctx, sub: Stripe.Subscription): void {
  ctx.store.trialWillEndSent.add(sub.id);
  ctx.events.emit('customer.subscription.trial_will_end', sub);
}

/** End of a period (or trial): cancel if asked to, otherwise start the next period and invoice it. */
export function rollSubscription(ctx: Ctx, sub: Stripe.Subscription): void {
  const batch = ctx.events.batch();
  const period = currentPeriod(sub);
  if (sub.cancel_at_period_end || (sub.cancel_at !== null && sub.cancel_at <= period.end)) {
    cancelNow(ctx, sub, batch, 'cancellation_requested');
    batch.commit();
    return;
  }
  const previous: Partial<Stripe.Subscription> = { items: snapshot(sub.items), latest_invoice: sub.latest_invoice };
  for (const item of sub.items.data) {
    const recurring = item.price.recurring ?? { interval: 'month' as const, interval_count: 1 };
    item.current_period_start = period.end;
    item.current_period_end = periodEndAfter(sub.billing_cycle_anchor, recurring, period.end);
  }
  if (sub.status === 'trialing') {
    previous.status = sub.status;
    sub.status = 'active';
  }
  const invoiceId = newId('in');
  const pending = ctx.store.pendingLines.get(sub.id) ?? [];
  ctx.store.pendingLines.delete(sub.id);
  const invoice = createDraftInvoice(ctx, sub, {
    id: invoiceId,
    billingReason: 'subscription_cycle',
    lines: [...prorationLines(pending, sub, invoiceId), ...periodLines(ctx, sub, invoiceId, false)],
    periodStart: period.start,
    periodEnd: period.end,
  });
  sub.latest_invoice = invoice.id;
  batch.add('customer.subscription.updated', sub, previous);
  batch.add('invoice.created', invoice);
  finalizeInvoice(ctx, invoice);
  batch.add('invoice.finalized', invoice);
  const result = attemptInvoicePayment(ctx, invoice, batch, { beforeFailureEvent: (inv) => scheduleRetry(ctx, inv) });
  applyPaymentOutcome(ctx, sub, invoice, result, batch);
  batch.commit();
}

function retryInvoice(ctx: Ctx, invoice: Stripe.Invoice): void {
  const batch = ctx.events.batch();
  const subId = subscriptionIdOf(invoice);
  const sub = subId ? ctx.store.subscriptions.get(subId) : undefined;
  const result = attemptInvoicePayment(ctx, invoice, batch, { beforeFailureEvent: (inv) => scheduleRetry(ctx, inv) });
  if (sub) applyPaymentOutcome(ctx, sub, invoice, result, batch);
  batch.commit();
}
