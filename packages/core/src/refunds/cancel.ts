import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import type { InvoiceRow } from '../invoices/stripe-sync.ts';
import { LONG_TX } from '../locks.ts';
import { callStripe, withStripe } from '../stripe/gateway.ts';
import { syncStripeSubscription } from '../subscriptions/stripe-sync.ts';

/** Cancels a Stripe subscription now (not at period end) and mirrors the result at once. */
export async function cancelStripeSubscriptionNow(deps: Deps, actor: Actor, stripeSubscriptionId: string, action: string): Promise<void> {
  const sdeps = withStripe(deps);
  const current = await callStripe(deps, 'subscription retrieve', () => sdeps.stripe.subscriptions.retrieve(stripeSubscriptionId));
  if (current.status !== 'canceled') {
    await callStripe(deps, 'subscription cancel', () =>
      sdeps.stripe.subscriptions.cancel(stripeSubscriptionId, {}, { idempotencyKey: `aqb-cancel-now-${stripeSubscriptionId}` }),
    );
  }
  await deps.db.prisma.$transaction(async (tx) => {
    const synced = await syncStripeSubscription(sdeps, tx, stripeSubscriptionId);
    await recordAudit(tx, actor, {
      action,
      targetType: 'subscription',
      targetId: synced.subscription?.id ?? stripeSubscriptionId,
      details: { stripeSubscriptionId },
    });
  }, LONG_TX);
}

/**
 * The "also cancel immediately" half of a refund. The refund is already
 * recorded; a failure here is a warning for the operator, never an error.
 */
export async function cancelSubscriptionAfterRefund(deps: Deps, actor: Actor, invoice: InvoiceRow): Promise<string | null> {
  if (!invoice.subscriptionId) return 'The refund was recorded; this invoice has no subscription to cancel.';
  const sub = await deps.db.prisma.subscription.findUniqueOrThrow({ where: { id: invoice.subscriptionId } });
  if (sub.status === 'CANCELED' || sub.status === 'EXPIRED') return null;
  try {
    if (sub.stripeSubscriptionId) {
      await cancelStripeSubscriptionNow(deps, actor, sub.stripeSubscriptionId, 'subscription.canceled_with_refund');
    } else {
      const now = deps.clock.now();
      await deps.db.prisma.$transaction(async (tx) => {
        await tx.subscription.update({ where: { id: sub.id }, data: { status: 'CANCELED', canceledAt: now, endedAt: now, cancelAtPeriodEnd: false } });
        await recordAudit(tx, actor, { action: 'subscription.canceled_with_refund', targetType: 'subscription', targetId: sub.id });
      });
    }
    return null;
  } catch (error) {
    deps.log.error({ err: error, subscriptionId: sub.id }, 'refund recorded but the immediate cancellation failed');
    await recordAudit(deps.db.prisma, actor, {
      action: 'subscription.cancel_failed',
      targetType: 'subscription',
      targetId: sub.id,
      details: { afterRefundOf: invoice.id },
    });
    return 'The refund was recorded, but the subscription could not be canceled. Cancel it again from the customer page.';
  }
}
