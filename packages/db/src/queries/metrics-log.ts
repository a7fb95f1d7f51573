import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import type { Currency, MetricsCustomer, MrrEvent, SubscriptionStatus } from '../kysely/types.ts';

// The MRR change log and its state (docs/metrics.md): what each customer counts for, the append-only
// mrr_events, and the daily rollup (metrics_daily) every change adds to.

export type CustomerStateRow = Selectable<MetricsCustomer>;
export type MrrEventInsert = Omit<Insertable<MrrEvent>, 'id' | 'occurredAt'> & {
  occurredAt: Date;
  mrrBefore: number;
  mrrAfter: number;
  activeDelta: number;
  pastDueDelta: number;
  trialingDelta: number;
};
/** An increment of one daily row: the sums are bigint columns, the increments plain numbers. */
export type DailyIncrement = { appId: string; day: Date; currency: Currency } & Record<DailySumColumn, number>;

const appLockKey = (appId: string) => `metrics:app:${appId}`;

/**
 * Every change of customers' figures holds their apps' metrics lock shared, and the customers' rows (FOR NO KEY
 * UPDATE: inserts that reference them still go ahead): changes of one customer run one after another, and a
 * rebuild of an app's rollup (which takes the app's lock exclusively) sees none half-done. Take it before
 * reading the customers' subscriptions, so the reads see every committed change.
 */
export async function lockCustomers(tx: Tx, customers: readonly { appId: string; customerId: string }[]): Promise<void> {
  const appIds = [...new Set(customers.map((c) => c.appId))].sort();
  const ids = [...new Set(customers.map((c) => c.customerId))];
  await sql`SELECT pg_advisory_xact_lock_shared(hashtextextended('metrics:app:' || a, 0)) FROM unnest(${appIds}::text[]) AS a ORDER BY a`.execute(tx);
  await tx.selectFrom('customers').select('id').where('id', 'in', ids).orderBy('id').forNoKeyUpdate().execute();
}

/** Writers of the app's revenue: the app's metrics lock, shared. */
export async function lockAppShared(tx: Tx, appId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock_shared(hashtextextended(${appLockKey(appId)}, 0))`.execute(tx);
}

/** A rebuild of the app's rollup: waits for the app's changes under way, holds new ones until it commits. */
export async function lockAppExclusive(tx: Tx, appId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${appLockKey(appId)}, 0))`.execute(tx);
}

/**
 * Each subscription of the customers with the price it is on (its plan's price for its billingInterval; the
 * plan's default price if that one was removed): the input of the MRR rules.
 */
export const listSubscriptionFigures = (db: Executor, customerIds: readonly string[]) =>
  db
    .selectFrom('subscriptions')
    .innerJoin('plans', 'plans.id', 'subscriptions.planId')
    .leftJoin('plan_prices', (join) =>
      join.onRef('plan_prices.planId', '=', 'subscriptions.planId').onRef('plan_prices.interval', '=', 'subscriptions.billingInterval'),
    )
    .select((eb) => [
      'subscriptions.customerId',
      'subscriptions.appId',
      'subscriptions.status',
      eb.fn.coalesce('plan_prices.amount', 'plans.priceAmount').as('priceAmount'),
      eb.fn.coalesce('plan_prices.interval', 'plans.interval').as('interval'),
      eb.fn.coalesce('plan_prices.currency', 'plans.currency').as('currency'),
    ])
    .where('subscriptions.customerId', 'in', customerIds)
    .execute();

export const listCustomerStates = (db: Executor, customerIds: readonly string[]): Promise<CustomerStateRow[]> =>
  db.selectFrom('metrics_customers').selectAll().where('customerId', 'in', customerIds).execute();

export async function saveCustomerStates(tx: Tx, rows: readonly CustomerStateRow[]): Promise<void> {
  for (const chunk of chunks(rows)) await saveStateChunk(tx, chunk);
}

async function saveStateChunk(tx: Tx, rows: CustomerStateRow[]): Promise<void> {
  await tx
    .insertInto('metrics_customers')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['customerId', 'currency']).doUpdateSet((eb) => ({
        mrr: eb.ref('excluded.mrr'),
        active: eb.ref('excluded.active'),
        pastDue: eb.ref('excluded.pastDue'),
        trialing: eb.ref('excluded.trialing'),
        everPaid: eb.ref('excluded.everPaid'),
      })),
    )
    .execute();
}

export async function insertEvents(tx: Tx, rows: readonly MrrEventInsert[]): Promise<void> {
  for (const chunk of chunks(rows)) await tx.insertInto('mrr_events').values(chunk).execute();
}

/** Rows in slices small enough for one statement's parameters (at most 65,535). */
function chunks<T>(rows: readonly T[], size = 2_000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const DAILY_SUMS = [
  'newMrr',
  'expansionMrr',
  'contractionMrr',
  'churnedMrr',
  'reactivationMrr',
  'activeDelta',
  'pastDueDelta',
  'trialingDelta',
  'newSubscribers',
  'reactivatedSubscribers',
  'churnedSubscribers',
  'gross',
  'refunds',
] as const;
export type DailySumColumn = (typeof DAILY_SUMS)[number];
export const DAILY_SUM_COLUMNS: readonly DailySumColumn[] = DAILY_SUMS;

/**
 * Adds the increments to their daily rows (one per app, day and currency) and to their months' rows
 * (metrics_monthly). A transaction may add twice (a subscription's change adds to today's rows, then its
 * invoice's revenue to the day it was paid), so sorting one call's rows is not enough for one lock order: two
 * transactions could each hold a row the other wants next (a deadlock). So every writer first takes its apps'
 * rollup lock (in app order, held to commit): the writers of an app's rollup run one after another, as they did
 * already on its month's row, and no two can hold its rows in opposite orders.
 */
export async function addToDaily(tx: Tx, increments: readonly DailyIncrement[]): Promise<void> {
  if (increments.length === 0) return;
  const appIds = [...new Set(increments.map((i) => i.appId))].sort();
  await sql`SELECT pg_advisory_xact_lock(hashtextextended('metrics:rollup:' || a, 0)) FROM unnest(${appIds}::text[]) AS a ORDER BY a`.execute(tx);
  await addSums(tx, 'metrics_daily', 'day', increments);
  const monthly = increments.map(({ day, ...sums }) => ({ ...sums, month: new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1)) }));
  await addSums(tx, 'metrics_monthly', 'month', monthly);
}

type SumsRow = Omit<DailyIncrement, 'day'> & Record<string, unknown>;

/** `rows` added to the rollup's rows of the same (appId, period, currency): an upsert that adds each sum. */
async function addSums(tx: Tx, table: 'metrics_daily' | 'metrics_monthly', period: 'day' | 'month', rows: readonly SumsRow[]): Promise<void> {
  const merged = new Map<string, SumsRow>();
  for (const inc of rows) {
    const key = `${inc.appId}|${(inc[period] as Date).toISOString()}|${inc.currency}`;
    const row = merged.get(key);
    if (!row) merged.set(key, { ...inc });
    else for (const column of DAILY_SUMS) row[column] += inc[column];
  }
  const sorted = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  const columns = ['appId', period, 'currency', ...DAILY_SUMS];
  for (const chunk of chunks(sorted, 1_000)) {
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      VALUES ${sql.join(chunk.map((row) => sql`(${sql.join(columns.map((c) => row[c]))})`))}
      ON CONFLICT ("appId", ${sql.ref(period)}, currency) DO UPDATE SET
      ${sql.join(DAILY_SUMS.map((c) => sql`${sql.ref(c)} = ${sql.table(table)}.${sql.ref(c)} + excluded.${sql.ref(c)}`))}`.execute(tx);
  }
}

/** Customers in id order after `afterId`, with their app: the rebuild's batches. */
export const listCustomerPage = (db: Executor, afterId: string, limit: number) =>
  db.selectFrom('customers').select(['id', 'appId']).where('id', '>', afterId).orderBy('id').limit(limit).execute();

/** The earliest creation time of each customer's subscriptions in the statuses: when a customer the log never saw began. */
export const listFirstSubscriptionTimes = (db: Executor, customerIds: readonly string[], statuses: readonly SubscriptionStatus[]) =>
  db
    .selectFrom('subscriptions')
    .select(['customerId', (eb) => eb.fn.min('createdAt').as('firstAt')])
    .where('customerId', 'in', customerIds)
    .where('status', 'in', statuses)
    .groupBy('customerId')
    .execute();
