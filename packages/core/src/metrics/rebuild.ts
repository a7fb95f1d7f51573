import { metricsDaily, metricsLog, metricsRevenue } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { reconcileCustomers } from './record.ts';

export type RebuildProgress =
  | { phase: 'customers'; customers: number; changed: number }
  | { phase: 'apps'; apps: number; of: number; appId: string; revenueEntries: number; dailyRows: number };

export interface RebuildResult {
  customers: number;
  changedCustomers: number;
  apps: number;
  revenueEntries: number;
  dailyRows: number;
}

/**
 * `metrics:rebuild`: recomputes every rollup from the base tables, for use after a restore, a bulk import or a
 * change of definition. Safe while the service runs: (1) each batch of customers is reconciled under their locks
 * like any change (a customer the change log has never seen is backfilled as of its subscriptions' creation);
 * (2) each app's revenue entries and daily rows are recomputed in one transaction under the app's exclusive
 * metrics lock, which waits for the app's changes under way and holds new ones back until it commits. Running
 * it twice changes nothing the second time.
 */
export async function rebuildMetrics(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: OperatorActor,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 2_000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new AppError('VALIDATION_ERROR', 'batch-size: give a whole number from 1 to 10000');
  const now = deps.clock.now();
  const result: RebuildResult = { customers: 0, changedCustomers: 0, apps: 0, revenueEntries: 0, dailyRows: 0 };
  for (let after = ''; ;) {
    const page = await metricsLog.listCustomerPage(deps.db.kysely, after, batchSize);
    if (page.length === 0) break;
    const customers = page.map((c) => ({ appId: c.appId, customerId: c.id }));
    result.changedCustomers += await deps.db.transaction((tx) => reconcileCustomers(tx, customers, now, { backfill: true }));
    result.customers += page.length;
    after = page.at(-1)!.id;
    options.onProgress?.({ phase: 'customers', customers: result.customers, changed: result.changedCustomers });
  }
  const appIds = await metricsDaily.listAppIds(deps.db.kysely);
  for (const appId of appIds) {
    const counts = await deps.db.transaction(async (tx) => {
      await metricsLog.lockAppExclusive(tx, appId);
      const revenueEntries = await metricsRevenue.replaceAppEntries(tx, appId);
      return { revenueEntries, dailyRows: await metricsDaily.replaceAppDaily(tx, appId) };
    });
    result.apps += 1;
    result.revenueEntries += counts.revenueEntries;
    result.dailyRows += counts.dailyRows;
    options.onProgress?.({ phase: 'apps', apps: result.apps, of: appIds.length, appId, ...counts });
  }
  await recordAudit(deps.db.kysely, actor, { action: 'metrics.rebuilt', targetType: 'metrics', details: { ...result } });
  return result;
}
