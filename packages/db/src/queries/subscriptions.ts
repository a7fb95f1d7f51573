import type { ExpressionBuilder, Insertable, Selectable, Updateable } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import { compileOnce } from '../compiled.ts';
import { newId } from '../ids.ts';
import type { DB, Subscription } from '../kysely/types.ts';
import { olderThan, type Keyset } from '../keyset.ts';
import { listForPlans } from './plan-prices.ts';
import type { PlanRow } from './plans.ts';

export type SubscriptionRow = Selectable<Subscription>;
export type SubscriptionWithPlan = SubscriptionRow & { plan: PlanRow };
/**
 * `createdAt` defaults to the database's clock; a test on a fixed clock may set it. `billingInterval`
 * defaults to the interval of the plan's default price (a manual grant or a free plan is on that price).
 */
export type SubscriptionInsert = Omit<Insertable<Subscription>, 'id' | 'updatedAt' | 'billingInterval'> & { billingInterval?: Subscription['billingInterval'] };
export type SubscriptionUpdate = Omit<Updateable<Subscription>, 'id' | 'appId' | 'customerId' | 'createdAt' | 'updatedAt'>;

/** The statuses that count as a current subscription. */
export const CURRENT_STATUSES = ['ACTIVE', 'TRIALING', 'PAST_DUE'] as const;
/** Statuses of a Stripe subscription that still exists on Stripe's side. */
export const LIVE_STRIPE_STATUSES = ['ACTIVE', 'TRIALING', 'PAST_DUE', 'INCOMPLETE', 'UNPAID', 'PAUSED'] as const;

/** A current base subscription: Stripe-backed ones follow Stripe's state, manual and trial ones also end at their period end. */
const currentBase = (eb: ExpressionBuilder<DB, 'subscriptions'>, now: Date) =>
  eb.and([
    eb('subscriptions.kind', '=', 'BASE'),
    eb('subscriptions.status', 'in', CURRENT_STATUSES),
    eb.or([eb('subscriptions.source', '=', 'CHECKOUT'), eb('subscriptions.currentPeriodEnd', '>', now)]),
  ]);

/**
 * Each row with its plan, whose price fields are those of the price the subscription is on (its
 * billingInterval), so every reader shows and sums what this subscriber pays (two more indexed reads).
 */
async function withPlans(db: Executor, rows: SubscriptionRow[]): Promise<SubscriptionWithPlan[]> {
  if (rows.length === 0) return [];
  const planIds = [...new Set(rows.map((r) => r.planId))];
  const [plans, prices] = await Promise.all([db.selectFrom('plans').selectAll().where('id', 'in', planIds).execute(), listForPlans(db, planIds)]);
  const byId = new Map(plans.map((p) => [p.id, p]));
  const priceOf = new Map(prices.map((p) => [`${p.planId}:${p.interval}`, p]));
  return rows.map((row) => {
    const plan = byId.get(row.planId)!;
    const price = priceOf.get(`${row.planId}:${row.billingInterval}`);
    return {
      ...row,
      plan: price ? { ...plan, priceAmount: price.amount, currency: price.currency, interval: price.interval, stripePriceId: price.stripePriceId } : plan,
    };
  });
}

export interface EligibilityRow {
  status: SubscriptionRow['status'];
  source: SubscriptionRow['source'];
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  slug: string;
  name: string;
  interval: PlanRow['interval'];
}

const eligibilityColumns = [
  'subscriptions.status',
  'subscriptions.source',
  'subscriptions.currentPeriodEnd',
  'subscriptions.cancelAtPeriodEnd',
  'plans.slug',
  'plans.name',
  'subscriptions.billingInterval as interval',
] as const;

/**
 * The hot path of every client app: one indexed round trip driven by the
 * unique (appId, externalUserId) key, joined to the subscriptions and plans.
 * Compiled once (compileOnce), so a call costs the lookup and no query
 * building; its text never changes, so it is one named prepared statement.
 */
export const listEligibility: (db: Executor, appId: string, externalUserId: string, now: Date) => Promise<EligibilityRow[]> = compileOnce(
  (db, appId: string, externalUserId: string, now: Date) =>
    db
      .selectFrom('customers')
      .innerJoin('subscriptions', (join) => join.onRef('subscriptions.customerId', '=', 'customers.id').onRef('subscriptions.appId', '=', 'customers.appId'))
      .innerJoin('plans', 'plans.id', 'subscriptions.planId')
      .select(eligibilityColumns)
      .where('customers.appId', '=', appId)
      .where('customers.externalUserId', '=', externalUserId)
      .where((eb) => currentBase(eb, now))
      .limit(10),
  ['\u0000appId', '\u0000externalUserId', new Date(0)],
);

export type EligibilitySnapshotRow = EligibilityRow & { customerId: string; appId: string; externalUserId: string };

/** One page of every customer's current base subscriptions, customers after `afterCustomerId` in id order (to warm a cache). */
export function listEligibilitySnapshotPage(db: Executor, now: Date, afterCustomerId: string, pageSize: number): Promise<EligibilitySnapshotRow[]> {
  return db
    .with('page', (qb) =>
      qb
        .selectFrom('subscriptions')
        .select('subscriptions.customerId as id')
        .distinct()
        .where((eb) => currentBase(eb, now))
        .where('subscriptions.customerId', '>', afterCustomerId)
        .orderBy('subscriptions.customerId')
        .limit(pageSize),
    )
    .selectFrom('page')
    .innerJoin('customers', 'customers.id', 'page.id')
    .innerJoin('subscriptions', (join) => join.onRef('subscriptions.customerId', '=', 'customers.id').onRef('subscriptions.appId', '=', 'customers.appId'))
    .innerJoin('plans', 'plans.id', 'subscriptions.planId')
    .select(['customers.id as customerId', 'customers.appId', 'customers.externalUserId', ...eligibilityColumns])
    .where((eb) => currentBase(eb, now))
    .orderBy('customers.id')
    .execute();
}

/** The customer's current base subscriptions (as eligibility counts them), with their plans. */
export async function listCurrentBase(db: Executor, appId: string, customerId: string, now: Date): Promise<SubscriptionWithPlan[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('customerId', '=', customerId)
    .where('appId', '=', appId)
    .where((eb) => currentBase(eb, now))
    .execute();
  return withPlans(db, rows);
}

/** The customer's most recently ended base subscription (canceled or expired), with its plan. */
export async function findLastEndedBase(db: Executor, appId: string, customerId: string): Promise<SubscriptionWithPlan | null> {
  const row = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('customerId', '=', customerId)
    .where('appId', '=', appId)
    .where('kind', '=', 'BASE')
    .where('status', 'in', ['CANCELED', 'EXPIRED'])
    .orderBy('endedAt', (ob) => ob.desc().nullsLast())
    .orderBy('updatedAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? ((await withPlans(db, [row]))[0] ?? null) : null;
}

/** The customer's live Stripe-backed base subscriptions, oldest first. */
export async function listLiveStripe(db: Executor, customerId: string, appId?: string): Promise<SubscriptionWithPlan[]> {
  let query = db
    .selectFrom('subscriptions')
    .selectAll()
    .where('customerId', '=', customerId)
    .where('kind', '=', 'BASE')
    .where('source', '=', 'CHECKOUT')
    .where('stripeSubscriptionId', 'is not', null)
    .where('status', 'in', LIVE_STRIPE_STATUSES)
    .orderBy('createdAt', 'asc')
    .orderBy('id', 'asc');
  if (appId !== undefined) query = query.where('appId', '=', appId);
  return withPlans(db, await query.execute());
}

/** The first Stripe-backed base subscription of `planId` made at or after `since` (what a checkout bought). */
export async function findFirstCheckoutSince(
  db: Executor,
  where: { appId: string; customerId: string; planId: string; since: Date },
): Promise<SubscriptionWithPlan | undefined> {
  const rows = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('customerId', '=', where.customerId)
    .where('appId', '=', where.appId)
    .where('kind', '=', 'BASE')
    .where('source', '=', 'CHECKOUT')
    .where('planId', '=', where.planId)
    .where('createdAt', '>=', where.since)
    .orderBy('createdAt', 'asc')
    .orderBy('id', 'asc')
    .limit(1)
    .execute();
  return (await withPlans(db, rows))[0];
}

export const findById = (db: Executor, id: string): Promise<SubscriptionRow | undefined> =>
  db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();

export async function findByIdWithPlan(db: Executor, id: string): Promise<SubscriptionWithPlan | undefined> {
  const row = await findById(db, id);
  return row ? (await withPlans(db, [row]))[0] : undefined;
}

export const findByStripeId = (db: Executor, stripeSubscriptionId: string) =>
  db
    .selectFrom('subscriptions')
    .leftJoin('plan_prices', (join) =>
      join.onRef('plan_prices.planId', '=', 'subscriptions.planId').onRef('plan_prices.interval', '=', 'subscriptions.billingInterval'),
    )
    .selectAll('subscriptions')
    .select('plan_prices.stripePriceId as planStripePriceId')
    .where('subscriptions.stripeSubscriptionId', '=', stripeSubscriptionId)
    .executeTakeFirst();

/** `findByStripeId`, the row locked FOR UPDATE: the newest committed version, which no one else changes until commit. */
export const findByStripeIdForUpdate = (tx: Tx, stripeSubscriptionId: string) =>
  tx
    .selectFrom('subscriptions')
    .leftJoin('plan_prices', (join) =>
      join.onRef('plan_prices.planId', '=', 'subscriptions.planId').onRef('plan_prices.interval', '=', 'subscriptions.billingInterval'),
    )
    .selectAll('subscriptions')
    .select('plan_prices.stripePriceId as planStripePriceId')
    .where('subscriptions.stripeSubscriptionId', '=', stripeSubscriptionId)
    .forUpdate('subscriptions')
    .executeTakeFirst();

/** The latest-ending current manual grant of the plan (a new grant extends it). */
export const findActiveManualGrant = (db: Executor, customerId: string, planId: string, now: Date): Promise<SubscriptionRow | undefined> =>
  db
    .selectFrom('subscriptions')
    .selectAll()
    .where('customerId', '=', customerId)
    .where('planId', '=', planId)
    .where('kind', '=', 'BASE')
    .where('source', '=', 'MANUAL')
    .where('status', '=', 'ACTIVE')
    .where('currentPeriodEnd', '>', now)
    .orderBy('currentPeriodEnd', 'desc')
    .limit(1)
    .executeTakeFirst();

/** The customer's active free-plan subscriptions (MANUAL, of a price-0 plan). */
export async function listActiveFreePlanIds(db: Executor, customerId: string, exceptId?: string): Promise<string[]> {
  let query = db
    .selectFrom('subscriptions')
    .innerJoin('plans', 'plans.id', 'subscriptions.planId')
    .select('subscriptions.id')
    .where('subscriptions.customerId', '=', customerId)
    .where('subscriptions.kind', '=', 'BASE')
    .where('subscriptions.source', '=', 'MANUAL')
    .where('subscriptions.status', '=', 'ACTIVE')
    .where('plans.priceAmount', '=', 0);
  if (exceptId !== undefined) query = query.where('subscriptions.id', '<>', exceptId);
  return (await query.execute()).map((row) => row.id);
}

export const insert = (db: Executor, { billingInterval, ...values }: SubscriptionInsert): Promise<SubscriptionRow> =>
  db
    .insertInto('subscriptions')
    .values((eb) => ({
      id: newId(),
      ...values,
      billingInterval: billingInterval ?? eb.selectFrom('plans').select('plans.interval').where('plans.id', '=', values.planId),
    }))
    .returningAll()
    .executeTakeFirstOrThrow();

export const update = (db: Executor, id: string, values: SubscriptionUpdate): Promise<SubscriptionRow> =>
  db.updateTable('subscriptions').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/** The fields of a subscription row that mirror Stripe's subscription. */
export type MirroredSubscriptionFields = Pick<
  SubscriptionRow,
  'status' | 'currentPeriodStart' | 'currentPeriodEnd' | 'trialEnd' | 'cancelAtPeriodEnd' | 'canceledAt' | 'endedAt'
>;

const ticketIfUnchanged = compileOnce(
  (
    db,
    id: string,
    price: string,
    ticket: string,
    status: string,
    start: Date,
    end: Date,
    trialEnd: Date | null,
    cancel: string,
    canceledAt: Date | null,
    endedAt: Date | null,
  ) =>
    db
      .updateTable('subscriptions')
      .set({ stripeReadTicket: ticket })
      .where('stripeSubscriptionId', '=', id)
      .where((eb) => eb.or([eb('stripeReadTicket', 'is', null), eb('stripeReadTicket', '<', ticket)]))
      .where('status', '=', status as SubscriptionRow['status'])
      .where('currentPeriodStart', '=', start)
      .where('currentPeriodEnd', '=', end)
      .where('trialEnd', 'is not distinct from', trialEnd)
      .where('cancelAtPeriodEnd', '=', cancel as unknown as boolean)
      .where('canceledAt', 'is not distinct from', canceledAt)
      .where('endedAt', 'is not distinct from', endedAt)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('plan_prices')
            .select('plan_prices.id')
            .whereRef('plan_prices.planId', '=', 'subscriptions.planId')
            .whereRef('plan_prices.interval', '=', 'subscriptions.billingInterval')
            .where('plan_prices.stripePriceId', '=', price),
        ),
      )
      .returningAll(),
  ['\u0000id', '\u0000price', '\u0000ticket', '\u0000status', new Date(1), new Date(2), new Date(3), '\u0000cancel', new Date(4), new Date(5)],
);

/**
 * A Stripe read that finds the row already as it says, in one statement: records `ticket` on the row of
 * `stripeSubscriptionId` when it holds `fields`, has a plan of `stripePriceId` and no newer (nor the same)
 * ticket, and returns it; otherwise changes nothing and returns undefined (the caller takes the full path).
 * The UPDATE's own row lock orders it after any writer of the row, whose commit it re-checks.
 */
export async function recordReadTicketIfUnchanged(
  tx: Tx,
  stripeSubscriptionId: string,
  stripePriceId: string,
  fields: MirroredSubscriptionFields,
  ticket: string,
): Promise<SubscriptionRow | undefined> {
  const f = fields;
  const rows = await ticketIfUnchanged(
    tx,
    stripeSubscriptionId,
    stripePriceId,
    ticket,
    f.status,
    f.currentPeriodStart,
    f.currentPeriodEnd,
    f.trialEnd,
    String(f.cancelAtPeriodEnd),
    f.canceledAt,
    f.endedAt,
  );
  return rows[0];
}

/** MANUAL and TRIAL subscriptions past their period end become EXPIRED; returns whose they were. */
export const expireLapsed = (db: Executor, now: Date): Promise<Array<{ appId: string; customerId: string }>> =>
  db
    .updateTable('subscriptions')
    .set({ status: 'EXPIRED', endedAt: now })
    .where('source', 'in', ['MANUAL', 'TRIAL'])
    .where('status', 'in', CURRENT_STATUSES)
    .where('currentPeriodEnd', '<=', now)
    .returning(['appId', 'customerId'])
    .execute();

/** What the admin Subscriptions list filters on; every filter is optional. */
export interface SubscriptionListFilter {
  status?: SubscriptionRow['status'] | undefined;
  appId?: string | undefined;
  planId?: string | undefined;
  customerId?: string | undefined;
  id?: string | undefined;
  /** Created in [createdFrom, createdTo) (the operator API's date range; the exact total does not apply to it). */
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  /** Stripe's mode of the subscription (true: live). */
  livemode?: boolean | undefined;
}

function filtered(db: Executor, filter: SubscriptionListFilter) {
  let query = db.selectFrom('subscriptions');
  if (filter.status !== undefined) query = query.where('subscriptions.status', '=', filter.status);
  if (filter.appId !== undefined) query = query.where('subscriptions.appId', '=', filter.appId);
  if (filter.planId !== undefined) query = query.where('subscriptions.planId', '=', filter.planId);
  if (filter.customerId !== undefined) query = query.where('subscriptions.customerId', '=', filter.customerId);
  if (filter.id !== undefined) query = query.where('subscriptions.id', '=', filter.id);
  if (filter.createdFrom !== undefined) query = query.where('subscriptions.createdAt', '>=', filter.createdFrom);
  if (filter.createdTo !== undefined) query = query.where('subscriptions.createdAt', '<', filter.createdTo);
  if (filter.livemode !== undefined) query = query.where('subscriptions.livemode', '=', filter.livemode);
  return query;
}

/**
 * The exact number of subscriptions the filter matches. For status, app and plan it sums the rows
 * of subscription_counts (at most a few hundred), which triggers keep in step with every write in
 * the writer's transaction (a scan of a million rows took 90–250 ms); a filter by customer or id
 * counts the rows themselves.
 */
export async function countFiltered(db: Executor, filter: SubscriptionListFilter): Promise<number> {
  // subscription_counts has no mode or date range: those filters count the rows themselves.
  if (
    filter.customerId !== undefined ||
    filter.id !== undefined ||
    filter.createdFrom !== undefined ||
    filter.createdTo !== undefined ||
    filter.livemode !== undefined
  ) {
    const row = await filtered(db, filter)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  let query = db.selectFrom('subscription_counts').select((eb) => eb.fn.sum<string | null>('count').as('n'));
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.appId !== undefined) query = query.where('appId', '=', filter.appId);
  if (filter.planId !== undefined) query = query.where('planId', '=', filter.planId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}

/** One page of the filter's subscriptions, newest first, after `cursor`, with their customer, app and plan. */
export function listFilteredPage(db: Executor, filter: SubscriptionListFilter, cursor: Keyset | null, limit: number) {
  let query = filtered(db, filter)
    .innerJoin('customers', 'customers.id', 'subscriptions.customerId')
    .innerJoin('apps', 'apps.id', 'subscriptions.appId')
    .innerJoin('plans', 'plans.id', 'subscriptions.planId')
    .selectAll('subscriptions')
    .select([
      'customers.externalUserId',
      'customers.email as customerEmail',
      'customers.name as customerName',
      'apps.slug as appSlug',
      'plans.slug as planSlug',
      'plans.name as planName',
    ])
    .orderBy('subscriptions.createdAt', 'desc')
    .orderBy('subscriptions.id', 'desc')
    .limit(limit);
  if (cursor) query = query.where(olderThan('subscriptions', cursor));
  return query.execute();
}
