import { sql } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import type { Currency } from '../kysely/types.ts';
import { DAILY_SUM_COLUMNS, type DailySumColumn } from './metrics-log.ts';

// Reading and rebuilding the daily rollup (metrics_daily). Every Dashboard figure is a sum of its rows: MRR
// or a count at a time is the sum of the days before it, a month's flow the sum of its days.

export type DailySums = { currency: Currency } & Record<DailySumColumn, number>;

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

type Part = { table: 'metrics_monthly' | 'metrics_daily'; from: Date | undefined; before: Date };

/** A range's parts: its whole months from metrics_monthly, the days before the first whole month and after the last from metrics_daily. */
function partsOf(range: Omit<DailyRange, 'appId'>): Part[] {
  const firstWhole = range.from === undefined ? undefined : range.from.getTime() === monthStart(range.from).getTime() ? range.from : nextMonth(range.from);
  const lastWholeEnd = monthStart(range.before);
  const wholeMonths = firstWhole === undefined || firstWhole < lastWholeEnd;
  const days: Part[] = wholeMonths
    ? [
        ...(range.from && firstWhole && range.from < firstWhole ? [{ table: 'metrics_daily' as const, from: range.from, before: firstWhole }] : []),
        { table: 'metrics_daily', from: lastWholeEnd, before: range.before },
      ]
    : [{ table: 'metrics_daily', from: range.from, before: range.before }];
  return [
    ...(wholeMonths ? [{ table: 'metrics_monthly' as const, from: firstWhole, before: lastWholeEnd }] : []),
    ...days.filter((d) => !d.from || d.from < d.before),
  ];
}

const SUMS = sql.join(DAILY_SUM_COLUMNS.map((c) => sql`coalesce(sum(${sql.ref(c)}), 0)::float8 AS ${sql.ref(c)}`));
const COLUMNS = sql.join(DAILY_SUM_COLUMNS.map((c) => sql.ref(c)));

/**
 * Each range's sums per currency (currencies with no rows are absent), all in one statement: each range reads
 * its whole months from metrics_monthly and the rest of its days from metrics_daily, so a sum reads a few
 * thousand rows at most whatever the history's length, and a figure is one round trip.
 */
export async function sumRanges(db: Executor, appId: string | undefined, ranges: ReadonlyArray<Omit<DailyRange, 'appId'>>): Promise<DailySums[][]> {
  const app = appId === undefined ? sql`` : sql`AND "appId" = ${appId}`;
  const branches = ranges.flatMap((range, i) =>
    partsOf(range).map((part) => {
      const period = sql.ref(part.table === 'metrics_monthly' ? 'month' : 'day');
      const from = part.from ? sql`AND ${period} >= ${part.from}` : sql``;
      return sql`SELECT ${sql.lit(i)}::int AS r, currency, ${COLUMNS} FROM ${sql.table(part.table)} WHERE ${period} < ${part.before} ${from} ${app}`;
    }),
  );
  const out: DailySums[][] = ranges.map(() => []);
  if (branches.length === 0) return out;
  const { rows } = await sql<{ r: number } & DailySums>`SELECT r, currency, ${SUMS} FROM (${sql.join(branches, sql` UNION ALL `)}) AS parts
    GROUP BY r, currency ORDER BY r, currency`.execute(db);
  for (const { r, ...sums } of rows) out[r]!.push(sums as DailySums);
  return out;
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

/** Waits `ms` in the database: the test hook that makes one Dashboard figure slow (never set in production). */
export async function sleepInDatabase(db: Executor, ms: number): Promise<void> {
  await sql`SELECT pg_sleep(${ms / 1000})`.execute(db);
}
