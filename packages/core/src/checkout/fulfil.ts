import type Stripe from 'stripe';
import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { BillingSubscription } from '../billing/schemas.ts';
import { LIVE_STRIPE_STATUSES, toBillingSubscription } from '../billing/service.ts';
import { syncStripeInvoice } from '../invoices/stripe-sync.ts';
import { LONG_TX, type PrismaTx } from '../locks.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { idOf } from '../stripe/mapping.ts';
import { syncStripeSubscription, type SubscriptionOwnerHint } from '../subscriptions/stripe-sync.ts';
import { cancelDuplicateSubscriptions } from './duplicates.ts';
import { endFreeSubscriptions } from '../subscriptions/free.ts';

export interface FulfilResult {
  status: 'complete' | 'pending' | 'expired';
  subscription: BillingSubscription | null;
  /** Facts for the audit entry of the webhook event. */
  outcome: Record<string, unknown>;
  /** Stripe subscription ids that duplicate the customer's first live one; canceled after commit. */
  duplicates: string[];
}

async function ownerOf(tx: PrismaTx, session: Stripe.Checkout.Session): Promise<SubscriptionOwnerHint | null> {
  const row = await tx.checkoutSession.findUnique({ where: { stripeCheckoutSessionId: session.id } });
  if (row) return { appId: row.appId, customerId: row.customerId, planId: row.planId };
  const { customerId, appId } = session.metadata ?? {};
  if (!customerId || !appId) return null;
  const customer = await tx.customer.findFirst({ where: { id: customerId, appId }, select: { id: true } });
  return customer ? { appId, customerId, ...(session.metadata?.planId ? { planId: session.metadata.planId } : {}) } : null;
}

/**
 * The one idempotent fulfilment of a Checkout Session, shared by the verify
 * call and the `checkout.session.completed` webhook: records the subscription
 * and its first invoice from Stripe's current state, completes our checkout
 * row, ends a free plan, and reports duplicate subscriptions. Call inside a
 * transaction; `fulfilCheckoutSession` wraps it.
 */
export async function fulfilCheckoutInTx(deps: StripeDeps, tx: PrismaTx, actor: Actor, stripeSessionId: string): Promise<FulfilResult> {
  const session = await callStripe(deps, 'checkout session retrieve', () => deps.stripe.checkout.sessions.retrieve(stripeSessionId));
  const none = { subscription: null, duplicates: [] };
  if (session.status === 'expired') {
    await tx.checkoutSession.updateMany({ where: { stripeCheckoutSessionId: session.id, status: 'OPEN' }, data: { status: 'EXPIRED' } });
    return { status: 'expired', outcome: { checkout: 'expired' }, ...none };
  }
  const stripeSubscriptionId = idOf(session.subscription);
  if (session.mode !== 'subscription' || session.status !== 'complete' || !stripeSubscriptionId) {
    return { status: session.status === 'complete' ? 'complete' : 'pending', outcome: { checkout: session.status, mode: session.mode }, ...none };
  }
  const owner = await ownerOf(tx, session);
  if (!owner) return { status: 'complete', outcome: { skipped: 'checkout session of no customer of ours' }, ...none };

  const synced = await syncStripeSubscription(deps, tx, stripeSubscriptionId, owner);
  if (!synced.subscription) return { status: 'complete', outcome: { skipped: synced.skipped }, ...none };
  const latestInvoice = idOf(synced.stripeSubscription.latest_invoice);
  if (latestInvoice) await syncStripeInvoice(deps, tx, latestInvoice);
  const now = deps.clock.now();
  await tx.checkoutSession.updateMany({
    where: { stripeCheckoutSessionId: session.id, status: { not: 'COMPLETE' } },
    data: { status: 'COMPLETE', completedAt: now },
  });
  const freeEnded = await endFreeSubscriptions(tx, actor, owner.customerId, now);
  if (synced.created) {
    await recordAudit(tx, actor, {
      action: 'subscription.created',
      targetType: 'subscription',
      targetId: synced.subscription.id,
      details: { via: 'checkout', stripeSubscriptionId, stripeCheckoutSessionId: session.id },
    });
  }
  const live = await tx.subscription.findMany({
    where: { customerId: owner.customerId, kind: 'BASE', source: 'CHECKOUT', stripeSubscriptionId: { not: null }, status: { in: [...LIVE_STRIPE_STATUSES] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { stripeSubscriptionId: true },
  });
  const duplicates = live.slice(1).map((s) => s.stripeSubscriptionId!);
  const row = await tx.subscription.findUniqueOrThrow({ where: { id: synced.subscription.id }, include: { plan: true } });
  return {
    status: 'complete',
    subscription: toBillingSubscription(row),
    outcome: { subscriptionId: row.id, created: synced.created, status: row.status, freeEnded, duplicates },
    duplicates,
  };
}

export async function fulfilCheckoutSession(deps: StripeDeps, actor: Actor, stripeSessionId: string): Promise<FulfilResult> {
  const result = await deps.db.prisma.$transaction((tx) => fulfilCheckoutInTx(deps, tx, actor, stripeSessionId), LONG_TX);
  if (result.duplicates.length) await cancelDuplicateSubscriptions(deps, actor, result.duplicates);
  return result;
}
