import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { PendingLine } from '../core/store.ts';
import { attemptInvoicePayment, issueSubscriptionUpdateInvoice, productName, prorationLines } from './invoices.ts';
import { formatDate } from '../core/money.ts';
import { cancelNow, currentPeriod } from './subscription-lifecycle.ts';

/**
 * DELETE /v1/subscriptions/:id. `prorate` credits the unused time; `invoice_now` bills pending
 * prorations (and that credit) on a final invoice, a negative total becoming customer credit.
 */
export function cancelSubscription(ctx: Ctx, id: string, options: { prorate: boolean; invoiceNow: boolean }): Stripe.Subscription {
  const sub = ctx.store.subscriptions.getOrThrow(id);
  if (sub.status === 'canceled') {
    throw invalidRequest(`This subscription has already been canceled (${sub.id}).`, undefined, 'resource_missing');
  }
  const batch = ctx.events.batch();
  const lines = [...(ctx.store.pendingLines.get(sub.id) ?? []), ...(options.prorate && sub.status !== 'trialing' ? unusedTimeCredits(ctx, sub) : [])];
  if (options.invoiceNow && lines.length > 0) {
    const invoice = issueSubscriptionUpdateInvoice(ctx, sub, batch, (invoiceId) => prorationLines(lines, sub, invoiceId));
    attemptInvoicePayment(ctx, invoice, batch);
  }
  cancelNow(ctx, sub, batch, 'cancellation_requested');
  batch.commit();
  return sub;
}

function unusedTimeCredits(ctx: Ctx, sub: Stripe.Subscription): PendingLine[] {
  const now = ctx.clock.now();
  const period = currentPeriod(sub);
  const fraction = Math.min(1, Math.max(0, (period.end - now) / Math.max(1, period.end - period.start)));
  return sub.items.data.map((item) => ({
    id: newId('il'),
    amount: -Math.round((item.price.unit_amount ?? 0) * (item.quantity ?? 1) * fraction),
    description: `Unused time on ${productName(ctx, item.price)} after ${formatDate(now)}`,
    price: item.price,
    quantity: item.quantity ?? 1,
    subscriptionItem: item.id,
    period: { start: now, end: period.end },
  }));
}
