import { sql } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import type { Currency } from '../kysely/types.ts';
import { DAILY_SUM_COLUMNS, type DailySumColumn } from './metrics-log.ts';

// Reading and rebuilding the daily rollup (metrics_daily). Every Dashboard figure is a sum of its rows: MRR
// or a count at a time is the sum of the days before it, a month's flow the sum of its days.

export type DailySums = { currency: Currency } & Record<DailySumColumn, number>;
export type MonthlySums = DailySums & { month: Date };

const sumsOf = (table: 'metrics_daily' | 'metrics_monthly') => DAILY_SUM_COLUMNS.map((c) => sql<string>`coalesce(sum(${sql.ref(`${table}.${c}`)}), 0)`.as(c));

function toNumbers<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const c of DAILY_SUM_COLUMNS) out[c] = Number(row[c]);
  return out as T;
}

export interface DailyRange {
  /** One app's rows; absent for every app. */
  appId?: string | undefined;
  /** From this day (its first instant); absent for all history. */
  from?: Date;
  /** Days before this instant (a day's first instant). */
  before: Date;
}

const monthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
const nextMonth = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));

/**
 * The range's sums per currency (currencies with no rows are absent): its whole months from metrics_monthly, the
 * days before the first whole month and after the last from metrics_daily, so a sum reads a few thousand rows
 * at most whatever the history's length.
 */
export async function sumByCurrency(db: Executor, range: DailyRange): Promise<DailySums[]> {
  const firstWhole = range.from === undefined ? undefined : range.from.getTime() === monthStart(range.from).getTime() ? range.from : nextMonth(range.from);
  const lastWholeEnd = monthStart(range.before);
  const wholeMonths = firstWhole === undefined || firstWhole < lastWholeEnd;
  const dayRanges: Array<[Date | undefined, Date]> = wholeMonths
    ? [...(range.from && firstWhole && range.from < firstWhole ? [[range.from, firstWhole] as [Date, Date]] : []), [lastWholeEnd, range.before]]
    : [[range.from, range.before]];
  let months = db.selectFrom('metrics_monthly').select('currency').select(sumsOf('metrics_monthly')).where('month', '<', lastWholeEnd);
  if (firstWhole) months = months.where('month', '>=', firstWhole);
  if (range.appId !== undefined) months = months.where('appId', '=', range.appId);
  const days = dayRanges.filter(([from, to]) => !from || from < to);
  let daily = db
    .selectFrom('metrics_daily')
    .select('currency')
    .select(sumsOf('metrics_daily'))
    .where((eb) => eb.or(days.map(([from, to]) => (from ? eb.and([eb('day', '>=', from), eb('day', '<', to)]) : eb('day', '<', to)))));
  if (range.appId !== undefined) daily = daily.where('appId', '=', range.appId);
  // Only the parts the range has: a month's flow reads whole months only, a 30-day window days only.
  const rows = [...(wholeMonths ? await months.groupBy('currency').execute() : []), ...(days.length > 0 ? await daily.groupBy('currency').execute() : [])].map(
    (r) => toNumbers(r as unknown as DailySums),
  );
  const byCurrency = new Map<Currency, DailySums>();
  for (const row of rows) {
    const sum = byCurrency.get(row.currency);
    if (!sum) byCurrency.set(row.currency, row);
    else for (const c of DAILY_SUM_COLUMNS) sum[c] += row[c];
  }
  return [...byCurrency.values()];
}

/** The sums per UTC month and currency of the months in [from, before) (both a month's first instant), oldest first. */
export async function sumByMonth(db: Executor, range: Required<Pick<DailyRange, 'from'>> & DailyRange): Promise<MonthlySums[]> {
  let query = db
    .selectFrom('metrics_monthly')
    .select(['currency', 'month'])
    .select(sumsOf('metrics_monthly'))
    .where('month', '>=', range.from)
    .where('month', '<', range.before);
  if (range.appId !== undefined) query = query.where('appId', '=', range.appId);
  const rows = await query.groupBy(['currency', 'month']).orderBy('month').execute();
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
  await tx.deleteFrom('metrics_monthly').where('appId', '=', appId).execute();
  await sql`
    INSERT INTO metrics_monthly ("appId", month, currency, ${sql.join(DAILY_SUM_COLUMNS.map((c) => sql.ref(c)))})
    SELECT "appId", date_trunc('month', day, 'UTC'), currency, ${sql.join(DAILY_SUM_COLUMNS.map((c) => sql`sum(${sql.ref(c)})`))}
    FROM metrics_daily WHERE "appId" = ${appId}
    GROUP BY "appId", date_trunc('month', day, 'UTC'), currency`.execute(tx);
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
