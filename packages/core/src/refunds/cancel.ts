import { subscriptions, type InvoiceRow } from '@aquoris/db';
import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { recordCustomerMetrics } from '../metrics/record.ts';
import type { Deps } from '../deps.ts';
import { callStripe } from '../stripe/gateway.ts';
import { takeStripeReadTicket } from '../stripe/read-ticket.ts';
import { applyStripeSubscription } from '../subscriptions/stripe-sync.ts';
import { boundStripe } from '../stripe-accounts/accounts.ts';

/** Cancels a Stripe subscription now (not at period end) and mirrors the result at once. */
export async function cancelStripeSubscriptionNow(deps: Deps, actor: Actor, stripeSubscriptionId: string, action: string): Promise<void> {
  const sdeps = boundStripe(deps);
  // Stripe first, with no transaction open; then the state it answered is applied (read-ticket.ts).
  const ticket = await takeStripeReadTicket(deps);
  const current = await callStripe(deps, 'subscription retrieve', () => sdeps.stripe.subscriptions.retrieve(stripeSubscriptionId));
  const canceled =
    current.status === 'canceled'
      ? current
      : await callStripe(deps, 'subscription cancel', () =>
          sdeps.stripe.subscriptions.cancel(stripeSubscriptionId, {}, { idempotencyKey: `aqb-cancel-now-${stripeSubscriptionId}` }),
        );
  await deps.db.transaction(async (tx) => {
    const synced = await applyStripeSubscription(sdeps, tx, canceled, ticket);
    await recordAudit(tx, actor, {
      action,
      targetType: 'subscription',
      targetId: synced.subscription?.id ?? stripeSubscriptionId,
      details: { stripeSubscriptionId },
    });
  });
}

/**
 * The "also cancel immediately" half of a refund. The refund is already
 * recorded; a failure here is a warning for the operator, never an error.
 */
export async function cancelSubscriptionAfterRefund(deps: Deps, actor: Actor, invoice: InvoiceRow): Promise<string | null> {
  if (!invoice.subscriptionId) return 'The refund was recorded; this invoice has no subscription to cancel.';
  const sub = await subscriptions.findById(deps.db.kysely, invoice.subscriptionId);
  if (!sub) return 'The refund was recorded; its subscription no longer exists.';
  if (sub.status === 'CANCELED' || sub.status === 'EXPIRED') return null;
  try {
    if (sub.stripeSubscriptionId) {
      await cancelStripeSubscriptionNow(deps, actor, sub.stripeSubscriptionId, 'subscription.canceled_with_refund');
    } else {
      const now = deps.clock.now();
      await deps.db.transaction(async (tx) => {
        const canceled = await subscriptions.update(tx, sub.id, { status: 'CANCELED', canceledAt: now, endedAt: now, cancelAtPeriodEnd: false });
        await recordCustomerMetrics(tx, canceled, now);
        await recordAudit(tx, actor, { action: 'subscription.canceled_with_refund', targetType: 'subscription', targetId: sub.id });
      });
    }
    return null;
  } catch (error) {
    deps.log.error({ err: error, subscriptionId: sub.id }, 'refund recorded but the immediate cancellation failed');
    await recordAudit(deps.db.kysely, actor, {
      action: 'subscription.cancel_failed',
      targetType: 'subscription',
      targetId: sub.id,
      details: { afterRefundOf: invoice.id },
    });
    return 'The refund was recorded, but the subscription could not be canceled. Cancel it again from the customer page.';
  }
}
