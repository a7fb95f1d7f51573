import type Stripe from 'stripe';
import { buildInvoice } from '../builders/invoice.ts';
import { snapshot } from '../core/clone.ts';
import type { Ctx } from '../core/context.ts';
import { missingParam } from '../core/errors.ts';
import { randomToken } from '../core/ids.ts';
import type { Params } from '../core/params.ts';
import { periodLines, prorationLines } from './invoices.ts';
import { periodEndAfter } from './periods.ts';
import { applyItemChanges, parseItemChanges, PRORATION_BEHAVIORS } from './plan-change.ts';
import { currentPeriod } from './subscription-lifecycle.ts';

/**
 * POST /v1/invoices/create_preview for a subscription, optionally with proposed item changes.
 * Nothing is stored. With always_invoice (or an interval change) it previews the invoice the
 * update would bill now; otherwise the next renewal invoice, pending prorations included.
 */
export function previewInvoice(ctx: Ctx, params: Params): Stripe.Invoice {
  const sub = findSubscription(ctx, params);
  const copy = snapshot(sub);
  const details = params.object('subscription_details');
  const behavior = details?.oneOf('proration_behavior', PRORATION_BEHAVIORS) ?? 'create_prorations';
  const prorationDate = details?.int('proration_date') ?? ctx.clock.now();
  const changes = details ? parseItemChanges(details) : [];
  const prorate = behavior !== 'none' && sub.status !== 'trialing';
  const change = changes.length > 0 ? applyItemChanges(ctx, copy, changes, { prorate, prorationDate }) : { credits: [], debits: [], resetCycle: false };
  const pending = ctx.store.pendingLines.get(sub.id) ?? [];
  const id = `upcoming_in_${randomToken(24)}`;
  const now = ctx.clock.now();

  let lines: Stripe.InvoiceLineItem[];
  let period: { start: number; end: number };
  if (change.resetCycle || (behavior === 'always_invoice' && changes.length > 0)) {
    const prorations = [...pending, ...change.credits, ...(change.resetCycle ? [] : change.debits)];
    lines = [...prorationLines(prorations, copy, null), ...(change.resetCycle ? periodLines(ctx, copy, null, false) : [])];
    period = { start: now, end: now };
  } else {
    const prorations = behavior === 'create_prorations' ? [...pending, ...change.credits, ...change.debits] : pending;
    period = currentPeriod(copy);
    for (const item of copy.items.data) {
      item.current_period_start = period.end;
      item.current_period_end = periodEndAfter(copy.billing_cycle_anchor, item.price.recurring ?? { interval: 'month', interval_count: 1 }, period.end);
    }
    lines = [...prorationLines(prorations, copy, null), ...periodLines(ctx, copy, null, false)];
  }
  const customer = ctx.store.customers.getOrThrow(String(sub.customer), 'customer');
  const invoice = buildInvoice({
    id,
    now,
    customer,
    currency: sub.currency,
    subscription: copy,
    billingReason: 'upcoming',
    lines,
    periodStart: period.start,
    periodEnd: period.end,
  });
  const credit = Math.max(0, -customer.balance);
  invoice.starting_balance = customer.balance;
  invoice.amount_due = Math.max(0, invoice.total - credit);
  invoice.amount_remaining = invoice.amount_due;
  invoice.ending_balance = customer.balance + Math.min(credit, Math.max(0, invoice.total)) + Math.min(0, invoice.total);
  if (changes.length > 0 && invoice.parent?.subscription_details) {
    invoice.parent.subscription_details.subscription_proration_date = prorationDate;
  }
  return invoice;
}

function findSubscription(ctx: Ctx, params: Params): Stripe.Subscription {
  const subId = params.string('subscription');
  if (subId) return ctx.store.subscriptions.getOrThrow(subId, 'subscription');
  const customer = params.string('customer');
  if (!customer) throw missingParam('subscription');
  const sub = ctx.store.subscriptions.newestFirst().find((s) => s.customer === customer && s.status !== 'canceled');
  if (!sub) throw missingParam('subscription');
  return sub;
}
