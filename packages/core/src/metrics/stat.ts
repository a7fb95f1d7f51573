import { isQueryCanceled, metricsDaily, type Executor } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/** The Dashboard's figures, each computed and fetched on its own (admin.dashboard.<name>). */
export const DASHBOARD_STATS = ['mrr', 'active', 'churn', 'revenue', 'mrrSeries', 'subscriptionFlow', 'revenueSeries', 'movements'] as const;
export type DashboardStat = (typeof DASHBOARD_STATS)[number];

/** The admin guide's promise: a figure that takes longer than this answers METRIC_TIMEOUT and its card shows "--". */
export const DASHBOARD_STAT_TIMEOUT_MS = 10_000;

export interface DashboardOptions {
  /** The server timeout of each figure; DASHBOARD_STAT_TIMEOUT_MS unless a test shortens it. */
  timeoutMs?: number;
  /** Test hook (off in production, see apps/api/src/env.ts): milliseconds to wait before computing a figure. */
  testDelayMs?: Partial<Record<DashboardStat, number>>;
}

/**
 * Runs one figure's reads (one statement, see metrics-daily.ts sumRanges) in a read-only transaction whose
 * statements PostgreSQL cancels after the timeout, begun with its timeout in one round trip; a
 * canceled one answers METRIC_TIMEOUT (504), so the page shows "--" on that card and the others still show.
 */
export async function runStat<T>(deps: Pick<Deps, 'db'>, stat: DashboardStat, options: DashboardOptions, read: (db: Executor) => Promise<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DASHBOARD_STAT_TIMEOUT_MS;
  try {
    return await deps.db.readOnly(timeoutMs, async (db) => {
      const delay = options.testDelayMs?.[stat];
      if (delay) await metricsDaily.sleepInDatabase(db, delay);
      return read(db);
    });
  } catch (error) {
    if (!isQueryCanceled(error)) throw error;
    throw new AppError('METRIC_TIMEOUT', `The ${stat} figure took longer than ${timeoutMs} ms`, { cause: error, details: { stat } });
  }
}
