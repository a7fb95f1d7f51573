import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { cancelStripeSubscriptionNow } from '../refunds/cancel.ts';
import { findInvoicePaymentIntent } from '../refunds/service.ts';
import { callStripe } from '../stripe/gateway.ts';
import { boundStripe } from '../stripe-accounts/accounts.ts';

/**
 * A customer must never keep two live base subscriptions (two tabs that both
 * paid, a checkout made outside our flow). The first one stays; each later one
 * is canceled at once and its paid invoices refunded in full (the
 * `charge.refunded` webhook records the refunds). Audited; a failure is
 * logged and audited (`subscription.duplicate_cancel_failed`) for an operator,
 * and the next fulfilment of the same session (verify) tries again.
 */
export async function cancelDuplicateSubscriptions(deps: Deps, actor: Actor, stripeSubscriptionIds: string[]): Promise<void> {
  const sdeps = boundStripe(deps);
  for (const stripeSubscriptionId of stripeSubscriptionIds) {
    try {
      await cancelStripeSubscriptionNow(deps, actor, stripeSubscriptionId, 'subscription.duplicate_canceled');
      const paid = await callStripe(deps, 'invoice list', () => sdeps.stripe.invoices.list({ subscription: stripeSubscriptionId, status: 'paid', limit: 10 }));
      for (const invoice of paid.data.filter((i) => i.amount_paid > 0)) {
        const paymentIntent = await findInvoicePaymentIntent(sdeps, invoice.id);
        const refund = await callStripe(deps, 'refund create', () =>
          sdeps.stripe.refunds.create(
            { payment_intent: paymentIntent, reason: 'duplicate', metadata: { duplicateOf: stripeSubscriptionId } },
            { idempotencyKey: `aqb-duplicate-refund-${invoice.id}` },
          ),
        );
        await recordAudit(deps.db.kysely, actor, {
          action: 'refund.duplicate_subscription',
          targetType: 'stripe_invoice',
          targetId: invoice.id,
          details: { stripeRefundId: refund.id, amount: refund.amount },
        });
      }
    } catch (error) {
      deps.log.error({ err: error, stripeSubscriptionId }, 'could not cancel a duplicate subscription');
      await recordAudit(deps.db.kysely, actor, {
        action: 'subscription.duplicate_cancel_failed',
        targetType: 'stripe_subscription',
        targetId: stripeSubscriptionId,
      }).catch(() => {});
    }
  }
}
