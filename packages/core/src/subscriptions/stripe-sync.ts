import { customers, locks, plans, planStripePrices, subscriptions, type SubscriptionRow, type Tx } from '@aquoris/db';
import type Stripe from 'stripe';
import { STRIPE_ACTOR, type Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { StripeDeps } from '../stripe/gateway.ts';
import { callStripe } from '../stripe/gateway.ts';
import { fromUnixOrNull, idOf, mapSubscriptionStatus, subscriptionPeriod, subscriptionPriceId } from '../stripe/mapping.ts';
import { isStaleRead } from '../stripe/read-ticket.ts';
import { recordCustomerMetrics } from '../metrics/record.ts';

/** Who a Stripe subscription belongs to on our side, when the caller already knows (checkout fulfilment). */
export interface SubscriptionOwnerHint {
  appId: string;
  customerId: string;
  planId?: string;
  /** With planId: the interval of the plan's price that was bought. */
  billingInterval?: 'month' | 'year';
}

/** Who the `subscription.created` audit entry names when this apply is the one that records the subscription, and what it adds. */
export interface SubscriptionCreator {
  actor: Actor;
  details?: Record<string, unknown>;
}

export type { SubscriptionRow };

export interface SubscriptionSyncResult {
  subscription: SubscriptionRow | null;
  stripeSubscription: Stripe.Subscription;
  created: boolean;
  changed: string[];
  /** Why nothing was written (not one of ours, unknown price, a newer read already applied, ...). */
  skipped?: string;
}

async function resolveOwner(tx: Tx, sub: Stripe.Subscription, hint?: SubscriptionOwnerHint): Promise<SubscriptionOwnerHint | null> {
  if (hint) return hint;
  const stripeCustomerId = idOf(sub.customer);
  const fromMetadata = sub.metadata?.customerId;
  const customer = fromMetadata ? await customers.findById(tx, fromMetadata) : undefined;
  if (customer && (!customer.stripeCustomerId || customer.stripeCustomerId === stripeCustomerId)) return { appId: customer.appId, customerId: customer.id };
  if (!stripeCustomerId) return null;
  const linked = await customers.findByStripeCustomerId(tx, stripeCustomerId);
  return linked ? { appId: linked.appId, customerId: linked.id } : null;
}

/** The advisory lock every writer of one Stripe subscription's row takes (never held across a Stripe call). */
export const subscriptionLockKey = (stripeSubscriptionId: string) => `stripe:sub:${stripeSubscriptionId}`;

/** The fields of our row that mirror Stripe's subscription. */
export function mirroredFields(sub: Stripe.Subscription) {
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

/** The names of the fields of `next` whose values differ from the row's. */
export function changedFields(row: object, next: Record<string, unknown>): string[] {
  return Object.entries(next)
    .filter(([key, value]) => {
      const current = (row as Record<string, unknown>)[key];
      if (current instanceof Date || value instanceof Date) return (current as Date | null)?.getTime() !== (value as Date | null)?.getTime();
      return current !== value;
    })
    .map(([key]) => key);
}

/** Stripe's current state of one subscription. Call with no transaction open. */
export function readStripeSubscription(deps: StripeDeps, stripeSubscriptionId: string): Promise<Stripe.Subscription> {
  return callStripe(deps, 'subscription retrieve', () => deps.stripe.subscriptions.retrieve(stripeSubscriptionId));
}

/**
 * Brings our row for one Stripe subscription to `sub`, the state a Stripe read returned, read with ticket
 * `ticket` (read-ticket.ts) before `tx` began. Under the subscription's advisory lock and the row lock it
 * writes only if no newer read was applied: whatever the order in which reads commit, the row ends at the
 * newest one. A read that finds the row up to date records only its ticket. Records a subscription seen
 * for the first time when it is ours, with its one `subscription.created` audit entry: whichever event or
 * call gets here first (invoice.paid before checkout.session.completed, the checkout verify call) creates
 * the row, and the advisory lock and the unique Stripe id make that happen once.
 */
export async function applyStripeSubscription(
  deps: StripeDeps,
  tx: Tx,
  sub: Stripe.Subscription,
  ticket: string,
  hint?: SubscriptionOwnerHint,
  creator: SubscriptionCreator = { actor: STRIPE_ACTOR },
): Promise<SubscriptionSyncResult> {
  const stripeSubscriptionId = sub.id;
  const priceId = subscriptionPriceId(sub);
  const unchanged = { stripeSubscription: sub, created: false, changed: [] as string[] };
  // Most reads find nothing new (an event about a field we do not mirror, a redelivery): one statement records the ticket.
  const kept = priceId ? await subscriptions.recordReadTicketIfUnchanged(tx, stripeSubscriptionId, priceId, mirroredFields(sub), ticket) : undefined;
  if (kept) return { ...unchanged, subscription: kept };
  await locks.lockKey(tx, subscriptionLockKey(stripeSubscriptionId));
  const existing = await subscriptions.findByStripeIdForUpdate(tx, stripeSubscriptionId);
  if (existing) {
    const { planStripePriceId, ...row } = existing;
    if (isStaleRead(ticket, row.stripeReadTicket)) return { ...unchanged, subscription: row, skipped: 'a newer Stripe read is already applied' };
    // The price is one of a plan's prices (monthly or yearly): a swap of price changes the plan, the interval or both.
    const plan =
      planStripePriceId === priceId
        ? { id: row.planId, billingInterval: row.billingInterval }
        : priceId
          ? await plans.findByStripePriceId(tx, priceId)
          : undefined;
    if (!plan) deps.log.warn({ stripeSubscriptionId, priceId }, 'Stripe subscription has a price no plan uses; plan left unchanged');
    const next = plan ? { ...mirroredFields(sub), planId: plan.id, billingInterval: plan.billingInterval } : mirroredFields(sub);
    const changed = changedFields(row, next);
    if (changed.length > 0) {
      const subscription = await subscriptions.update(tx, row.id, { ...next, stripeSyncedAt: deps.clock.now(), stripeReadTicket: ticket });
      await recordCustomerMetrics(tx, subscription, deps.clock.now());
      return { ...unchanged, subscription, changed };
    }
    // Nothing new (a duplicate, or an event about a field we do not mirror): only the ticket, so an older read cannot follow.
    if (row.stripeReadTicket === ticket) return { ...unchanged, subscription: row };
    return { ...unchanged, subscription: await subscriptions.update(tx, row.id, { stripeReadTicket: ticket }) };
  }

  const owner = await resolveOwner(tx, sub, hint);
  const priced = priceId ? await plans.findByStripePriceId(tx, priceId) : undefined;
  const planId = priced?.id ?? (priceId ? (await planStripePrices.findByStripePriceId(tx, priceId))?.planId : undefined) ?? hint?.planId;
  if (!owner || !planId) {
    const skipped = !owner ? 'no customer of ours is linked to this Stripe subscription' : `no plan uses price ${priceId}`;
    deps.log.warn({ stripeSubscriptionId, priceId, skipped }, 'Stripe subscription not recorded');
    return { ...unchanged, subscription: null, skipped };
  }
  const subscription = await subscriptions.insert(tx, {
    ...mirroredFields(sub),
    stripeSyncedAt: deps.clock.now(),
    stripeReadTicket: ticket,
    appId: owner.appId,
    customerId: owner.customerId,
    planId,
    // Without a price of ours (a hint from our checkout row), the plan's default price, as the insert defaults it.
    ...(priced ? { billingInterval: priced.billingInterval } : hint?.billingInterval ? { billingInterval: hint.billingInterval } : {}),
    source: 'CHECKOUT',
    kind: 'BASE',
    stripeSubscriptionId,
    livemode: sub.livemode,
  });
  await recordAudit(tx, creator.actor, {
    action: 'subscription.created',
    targetType: 'subscription',
    targetId: subscription.id,
    details: { via: 'checkout', stripeSubscriptionId, ...creator.details },
  });
  await recordCustomerMetrics(tx, subscription, deps.clock.now());
  return { subscription, stripeSubscription: sub, created: true, changed: ['created'] };
}
