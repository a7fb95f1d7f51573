import type Stripe from 'stripe';
import type { StripeDeps } from '../stripe/gateway.ts';
import { callStripe } from '../stripe/gateway.ts';
import { lockKey, type Tx } from '../locks.ts';
import { fromUnixOrNull, idOf, mapSubscriptionStatus, subscriptionPeriod, subscriptionPriceId } from '../stripe/mapping.ts';

/** Who a Stripe subscription belongs to on our side, when the caller already knows (checkout fulfilment). */
export interface SubscriptionOwnerHint {
  appId: string;
  customerId: string;
  planId?: string;
}

export type SubscriptionRow = Awaited<ReturnType<Tx['subscription']['findUniqueOrThrow']>>;

export interface SubscriptionSyncResult {
  subscription: SubscriptionRow | null;
  stripeSubscription: Stripe.Subscription;
  created: boolean;
  changed: string[];
  /** Why nothing was written (not one of ours, unknown price, ...). */
  skipped?: string;
}

async function resolveOwner(tx: Tx, sub: Stripe.Subscription, hint?: SubscriptionOwnerHint): Promise<SubscriptionOwnerHint | null> {
  if (hint) return hint;
  const stripeCustomerId = idOf(sub.customer);
  const fromMetadata = sub.metadata?.customerId;
  const customer = fromMetadata
    ? await tx.customer.findUnique({ where: { id: fromMetadata }, select: { id: true, appId: true, stripeCustomerId: true } })
    : null;
  if (customer && (!customer.stripeCustomerId || customer.stripeCustomerId === stripeCustomerId)) return { appId: customer.appId, customerId: customer.id };
  if (!stripeCustomerId) return null;
  const linked = await tx.customer.findUnique({ where: { stripeCustomerId }, select: { id: true, appId: true } });
  return linked ? { appId: linked.appId, customerId: linked.id } : null;
}

/** The fields of our row that mirror Stripe's subscription. */
function mirroredFields(sub: Stripe.Subscription) {
  const period = subscriptionPeriod(sub);
  return {
    status: mapSubscriptionStatus(sub.status),
    currentPeriodStart: period.start,
    currentPeriodEnd: period.end,
    trialEnd: fromUnixOrNull(sub.trial_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end || (sub.cancel_at != null && sub.status !== 'canceled'),
    canceledAt: fromUnixOrNull(sub.canceled_at),
    endedAt: fromUnixOrNull(sub.ended_at),
  };
}

function diff(row: SubscriptionRow, next: Record<string, unknown>): string[] {
  return Object.entries(next)
    .filter(([key, value]) => {
      const current = (row as Record<string, unknown>)[key];
      if (current instanceof Date || value instanceof Date) return (current as Date | null)?.getTime() !== (value as Date | null)?.getTime();
      return current !== value;
    })
    .map(([key]) => key);
}

type SubscriptionLookup = SubscriptionRow & { planStripePriceId: string | null };

/**
 * Our row for a Stripe subscription with its plan's price, in one raw query:
 * this runs for every subscription and invoice event, and a Prisma model query
 * costs ten times the CPU of a raw one (measured in bench/webhooks.ts).
 * Column names are the model's field names.
 */
export async function findByStripeSubscriptionId(tx: Tx, stripeSubscriptionId: string): Promise<SubscriptionLookup | null> {
  const rows = await tx.$queryRaw<SubscriptionLookup[]>`
    SELECT s.*, p."stripePriceId" AS "planStripePriceId" FROM subscriptions s JOIN plans p ON p.id = s."planId"
    WHERE s."stripeSubscriptionId" = ${stripeSubscriptionId}`;
  return rows[0] ?? null;
}

/**
 * Brings our row for one Stripe subscription to Stripe's current state.
 * Takes the subscription's advisory lock first and only then reads Stripe, so
 * concurrent, duplicated or reordered events converge on the latest state: the
 * last transaction to commit also read last. Call inside a transaction.
 */
export async function syncStripeSubscription(
  deps: StripeDeps,
  tx: Tx,
  stripeSubscriptionId: string,
  hint?: SubscriptionOwnerHint,
): Promise<SubscriptionSyncResult> {
  await lockKey(tx, `stripe:sub:${stripeSubscriptionId}`);
  const sub = await callStripe(deps, 'subscription retrieve', () => deps.stripe.subscriptions.retrieve(stripeSubscriptionId));
  const priceId = subscriptionPriceId(sub);
  const existing = await findByStripeSubscriptionId(tx, stripeSubscriptionId);
  const samePlan = existing !== null && existing.planStripePriceId === priceId;
  const plan = samePlan ? { id: existing.planId } : priceId ? await tx.plan.findUnique({ where: { stripePriceId: priceId }, select: { id: true } }) : null;

  if (existing) {
    const next = plan ? { ...mirroredFields(sub), planId: plan.id } : mirroredFields(sub);
    const changed = diff(existing, next);
    if (!plan) deps.log.warn({ stripeSubscriptionId, priceId }, 'Stripe subscription has a price no plan uses; plan left unchanged');
    // Nothing new (a duplicate or an event about a field we do not mirror): no write at all.
    if (changed.length === 0) return { subscription: existing, stripeSubscription: sub, created: false, changed };
    const subscription = await tx.subscription.update({ where: { id: existing.id }, data: { ...next, stripeSyncedAt: deps.clock.now() } });
    return { subscription, stripeSubscription: sub, created: false, changed };
  }

  const owner = await resolveOwner(tx, sub, hint);
  const planId = plan?.id ?? hint?.planId;
  if (!owner || !planId) {
    const skipped = !owner ? 'no customer of ours is linked to this Stripe subscription' : `no plan uses price ${priceId}`;
    deps.log.warn({ stripeSubscriptionId, priceId, skipped }, 'Stripe subscription not recorded');
    return { subscription: null, stripeSubscription: sub, created: false, changed: [], skipped };
  }
  const subscription = await tx.subscription.create({
    data: { ...mirroredFields(sub), stripeSyncedAt: deps.clock.now(), appId: owner.appId, customerId: owner.customerId, planId, source: 'CHECKOUT', kind: 'BASE', stripeSubscriptionId },
  });
  return { subscription, stripeSubscription: sub, created: true, changed: ['created'] };
}
