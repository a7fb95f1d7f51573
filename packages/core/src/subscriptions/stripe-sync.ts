import type Stripe from 'stripe';
import type { StripeDeps } from '../stripe/gateway.ts';
import { callStripe } from '../stripe/gateway.ts';
import type { PreparedStatement } from '@aquoris/db';
import { lockKey, requirePrismaTx, sqlOf, type AnyTx, type PrismaTx } from '../locks.ts';
import { fromUnixOrNull, idOf, mapSubscriptionStatus, subscriptionPeriod, subscriptionPriceId } from '../stripe/mapping.ts';

/** Who a Stripe subscription belongs to on our side, when the caller already knows (checkout fulfilment). */
export interface SubscriptionOwnerHint {
  appId: string;
  customerId: string;
  planId?: string;
}

export type SubscriptionRow = Awaited<ReturnType<PrismaTx['subscription']['findUniqueOrThrow']>>;

export interface SubscriptionSyncResult {
  subscription: SubscriptionRow | null;
  stripeSubscription: Stripe.Subscription;
  created: boolean;
  changed: string[];
  /** Why nothing was written (not one of ours, unknown price, ...). */
  skipped?: string;
}

async function resolveOwner(tx: PrismaTx, sub: Stripe.Subscription, hint?: SubscriptionOwnerHint): Promise<SubscriptionOwnerHint | null> {
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

/** The advisory lock every writer of one Stripe subscription's row takes before reading Stripe. */
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

/** The mirrored fields in the order the statements here and in webhooks/settle-unchanged.ts take them. */
export function mirroredValues(next: ReturnType<typeof mirroredFields>): unknown[] {
  return [next.status, next.currentPeriodStart, next.currentPeriodEnd, next.trialEnd, next.cancelAtPeriodEnd, next.canceledAt, next.endedAt];
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

// Our row for a Stripe subscription with its plan's price, in one statement: this runs for every subscription
// and invoice event. Column names are the model's field names, so rows have the model's shape.
const FIND_BY_STRIPE_ID_SQL: PreparedStatement = {
  name: 'aqb_subscription_by_stripe_id_v1',
  text: `SELECT s.*, p."stripePriceId" AS "planStripePriceId" FROM subscriptions s JOIN plans p ON p.id = s."planId" WHERE s."stripeSubscriptionId" = $1`,
};

const PLAN_BY_PRICE_SQL: PreparedStatement = { name: 'aqb_plan_by_stripe_price_v1', text: `SELECT id FROM plans WHERE "stripePriceId" = $1` };

// The mirrored fields of one row, and the plan when it changed (COALESCE keeps it otherwise).
// "updatedAt" is Prisma's @updatedAt: written here because this bypasses Prisma.
const UPDATE_MIRRORED_SQL: PreparedStatement = {
  name: 'aqb_subscription_update_mirrored_v1',
  text: `UPDATE subscriptions SET status = $2::"SubscriptionStatus", "currentPeriodStart" = $3, "currentPeriodEnd" = $4, "trialEnd" = $5,
           "cancelAtPeriodEnd" = $6, "canceledAt" = $7, "endedAt" = $8, "planId" = COALESCE($9, "planId"), "stripeSyncedAt" = $10, "updatedAt" = $10
         WHERE id = $1 RETURNING *`,
};

export async function findByStripeSubscriptionId(tx: AnyTx, stripeSubscriptionId: string): Promise<SubscriptionLookup | null> {
  const [row] = await sqlOf(tx).query<SubscriptionLookup>(FIND_BY_STRIPE_ID_SQL, [stripeSubscriptionId]);
  return row ?? null;
}

async function updateMirrored(tx: AnyTx, id: string, next: ReturnType<typeof mirroredFields> & { planId?: string }, now: Date): Promise<SubscriptionRow> {
  const [row] = await sqlOf(tx).query<SubscriptionRow>(UPDATE_MIRRORED_SQL, [id, ...mirroredValues(next), next.planId ?? null, now]);
  if (!row) throw new Error(`subscription ${id} vanished during its update`);
  return row;
}

/**
 * Brings our row for one Stripe subscription to Stripe's current state.
 * Takes the subscription's advisory lock first and only then reads Stripe, so
 * concurrent, duplicated or reordered events converge on the latest state: the
 * last transaction to commit also read last. Call inside a transaction of
 * either kind; recording a subscription seen for the first time needs a
 * Prisma one (NeedsPrismaTransaction otherwise).
 */
export async function syncStripeSubscription(
  deps: StripeDeps,
  tx: AnyTx,
  stripeSubscriptionId: string,
  hint?: SubscriptionOwnerHint,
): Promise<SubscriptionSyncResult> {
  await lockKey(tx, subscriptionLockKey(stripeSubscriptionId));
  const sub = await callStripe(deps, 'subscription retrieve', () => deps.stripe.subscriptions.retrieve(stripeSubscriptionId));
  const priceId = subscriptionPriceId(sub);
  const existing = await findByStripeSubscriptionId(tx, stripeSubscriptionId);
  const samePlan = existing !== null && existing.planStripePriceId === priceId;
  const plan = samePlan ? { id: existing.planId } : priceId ? ((await sqlOf(tx).query<{ id: string }>(PLAN_BY_PRICE_SQL, [priceId]))[0] ?? null) : null;

  if (existing) {
    const next = plan ? { ...mirroredFields(sub), planId: plan.id } : mirroredFields(sub);
    const changed = diff(existing, next);
    if (!plan) deps.log.warn({ stripeSubscriptionId, priceId }, 'Stripe subscription has a price no plan uses; plan left unchanged');
    // Nothing new (a duplicate or an event about a field we do not mirror): no write at all.
    if (changed.length === 0) return { subscription: existing, stripeSubscription: sub, created: false, changed };
    const subscription = await updateMirrored(tx, existing.id, next, deps.clock.now());
    return { subscription, stripeSubscription: sub, created: false, changed };
  }

  const prisma = requirePrismaTx(tx, 'recording a new subscription');
  const owner = await resolveOwner(prisma, sub, hint);
  const planId = plan?.id ?? hint?.planId;
  if (!owner || !planId) {
    const skipped = !owner ? 'no customer of ours is linked to this Stripe subscription' : `no plan uses price ${priceId}`;
    deps.log.warn({ stripeSubscriptionId, priceId, skipped }, 'Stripe subscription not recorded');
    return { subscription: null, stripeSubscription: sub, created: false, changed: [], skipped };
  }
  const subscription = await prisma.subscription.create({
    data: {
      ...mirroredFields(sub),
      stripeSyncedAt: deps.clock.now(),
      appId: owner.appId,
      customerId: owner.customerId,
      planId,
      source: 'CHECKOUT',
      kind: 'BASE',
      stripeSubscriptionId,
    },
  });
  return { subscription, stripeSubscription: sub, created: true, changed: ['created'] };
}
