import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import type { Currency, DB } from '../kysely/types.ts';
import { DAILY_SUM_COLUMNS, type DailySumColumn } from './metrics-log.ts';

// Reading and rebuilding the daily rollup (metrics_daily). Every Dashboard figure is a sum of its rows: MRR
// or a count at a time is the sum of the days before it, a month's flow the sum of its days.

export type DailySums = { currency: Currency } & Record<DailySumColumn, number>;
export type MonthlySums = DailySums & { month: Date };

const sums = (eb: ExpressionBuilder<DB, 'metrics_daily'>) => DAILY_SUM_COLUMNS.map((c) => sql<string>`coalesce(sum(${eb.ref(`metrics_daily.${c}`)}), 0)`.as(c));

function toNumbers<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const c of DAILY_SUM_COLUMNS) out[c] = Number(row[c]);
  return out as T;
}

export interface DailyRange {
  /** One app's rows; absent for every app. */
  appId?: string | undefined;
  /** Days from this one (its first instant); absent for all history. */
  from?: Date;
  /** Days before this instant. */
  before: Date;
}

function inRange(db: Executor, range: DailyRange) {
  let query = db.selectFrom('metrics_daily').where('day', '<', range.before);
  if (range.from) query = query.where('day', '>=', range.from);
  if (range.appId !== undefined) query = query.where('appId', '=', range.appId);
  return query;
}

/** The range's sums per currency (currencies with no rows are absent). */
export async function sumByCurrency(db: Executor, range: DailyRange): Promise<DailySums[]> {
  const rows = await inRange(db, range).select('currency').select(sums).groupBy('currency').execute();
  return rows.map((row) => toNumbers(row as unknown as DailySums));
}

/** The range's sums per UTC month and currency, oldest first. */
export async function sumByMonth(db: Executor, range: DailyRange): Promise<MonthlySums[]> {
  const month = sql<Date>`date_trunc('month', ${sql.ref('day')}, 'UTC')`;
  const rows = await inRange(db, range)
    .select(['currency', month.as('month')])
    .select(sums)
    .groupBy(['currency', month])
    .orderBy(month)
    .execute();
  return rows.map((row) => toNumbers(row as unknown as MonthlySums));
}

/** Every app, in id order: the rebuild's list. */
export const listAppIds = async (db: Executor): Promise<string[]> => (await db.selectFrom('apps').select('id').orderBy('id').execute()).map((row) => row.id);

/**
 * The rebuild of one app's daily rows from its change log and its revenue entries, run under the app's exclusive
 * metrics lock (metrics-log.ts), so no change of the app is half-counted. Returns the number of rows.
 */
export async function replaceAppDaily(tx: Tx, appId: string): Promise<number> {
  await tx.deleteFrom('metrics_daily').where('appId', '=', appId).execute();
  const result = await sql<{ n: number }>`
    INSERT INTO metrics_daily ("appId", day, currency, "newMrr", "expansionMrr", "contractionMrr", "churnedMrr", "reactivationMrr",
      "activeDelta", "pastDueDelta", "trialingDelta", "newSubscribers", "reactivatedSubscribers", "churnedSubscribers", gross, refunds)
    SELECT "appId", day, currency, sum("newMrr"), sum("expansionMrr"), sum("contractionMrr"), sum("churnedMrr"), sum("reactivationMrr"),
      sum("activeDelta"), sum("pastDueDelta"), sum("trialingDelta"), sum("newSubscribers"), sum("reactivatedSubscribers"),
      sum("churnedSubscribers"), sum(gross), sum(refunds)
    FROM (
      SELECT "appId", date_trunc('day', "occurredAt", 'UTC') AS day, currency,
        CASE WHEN kind = 'NEW' THEN "mrrAfter" ELSE 0 END AS "newMrr",
        CASE WHEN kind = 'EXPANSION' THEN "mrrAfter" - "mrrBefore" ELSE 0 END AS "expansionMrr",
        CASE WHEN kind = 'CONTRACTION' THEN "mrrBefore" - "mrrAfter" ELSE 0 END AS "contractionMrr",
        CASE WHEN kind = 'CHURN' THEN "mrrBefore" ELSE 0 END AS "churnedMrr",
        CASE WHEN kind = 'REACTIVATION' THEN "mrrAfter" ELSE 0 END AS "reactivationMrr",
        "activeDelta", "pastDueDelta", "trialingDelta",
        CASE WHEN "subscriberChange" = 'NEW' THEN 1 ELSE 0 END AS "newSubscribers",
        CASE WHEN "subscriberChange" = 'REACTIVATED' THEN 1 ELSE 0 END AS "reactivatedSubscribers",
        CASE WHEN "subscriberChange" = 'CHURNED' THEN 1 ELSE 0 END AS "churnedSubscribers",
        0 AS gross, 0 AS refunds
      FROM mrr_events WHERE "appId" = ${appId}
      UNION ALL
      SELECT "appId", day, currency, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, gross, refunds FROM revenue_entries WHERE "appId" = ${appId}
    ) AS changes
    GROUP BY "appId", day, currency`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

/** Bounds every later statement of the transaction to `ms` milliseconds (PostgreSQL cancels it, SQLSTATE 57014). */
export async function limitStatementTime(tx: Tx, ms: number): Promise<void> {
  await sql`SELECT set_config('statement_timeout', ${String(Math.round(ms))}, true)`.execute(tx);
}

/** Waits `ms` in the database: the test hook that makes one Dashboard figure slow (never set in production). */
export async function sleepInDatabase(tx: Tx, ms: number): Promise<void> {
  await sql`SELECT pg_sleep(${ms / 1000})`.execute(tx);
}
