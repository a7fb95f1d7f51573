import { metricsDaily, metricsLog, metricsRebuild, metricsRevenue } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { CURRENCIES } from '../money.ts';

export interface RebuildAppProgress {
  apps: number;
  of: number;
  appId: string;
  customers: number;
  changedCustomers: number;
  revenueEntries: number;
  dailyRows: number;
  ms: number;
}

export interface RebuildResult {
  customers: number;
  changedCustomers: number;
  apps: number;
  revenueEntries: number;
  dailyRows: number;
}

/**
 * `metrics:rebuild`: recomputes every rollup from the base tables, for use after a restore, a bulk import or a
 * change of definition. Set-based and one app at a time: each app is one transaction that takes the app's
 * exclusive metrics lock (it waits for the app's changes under way and holds new ones back until it commits),
 * then (1) reconciles the app's customers' stored figures with their subscriptions in one INSERT … SELECT,
 * appending the differences to the change log (a customer the log has never seen as of its oldest current
 * subscription's creation), (2) recomputes the app's revenue entries from its invoices and refunds, and (3)
 * recomputes its daily and monthly rows from the change log and the revenue entries. A change of another app
 * goes ahead meanwhile; a reader sees an app's old rows or its new ones, never a mix. Running it twice changes
 * nothing the second time.
 */
export async function rebuildMetrics(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: OperatorActor,
  options: { onProgress?: (progress: RebuildAppProgress) => void } = {},
): Promise<RebuildResult> {
  const now = deps.clock.now();
  const result: RebuildResult = { customers: 0, changedCustomers: 0, apps: 0, revenueEntries: 0, dailyRows: 0 };
  const appIds = await metricsDaily.listAppIds(deps.db.kysely);
  for (const appId of appIds) {
    const started = Date.now();
    const counts = await deps.db.transaction(async (tx) => {
      await metricsLog.lockAppExclusive(tx, appId);
      const customers = await metricsRebuild.countAppCustomers(tx, appId);
      const changedCustomers = await metricsRebuild.reconcileAppCustomers(tx, appId, now, CURRENCIES);
      const revenueEntries = await metricsRevenue.replaceAppEntries(tx, appId);
      return { customers, changedCustomers, revenueEntries, dailyRows: await metricsDaily.replaceAppDaily(tx, appId) };
    });
    result.apps += 1;
    result.customers += counts.customers;
    result.changedCustomers += counts.changedCustomers;
    result.revenueEntries += counts.revenueEntries;
    result.dailyRows += counts.dailyRows;
    options.onProgress?.({ apps: result.apps, of: appIds.length, appId, ...counts, ms: Date.now() - started });
  }
  await recordAudit(deps.db.kysely, actor, { action: 'metrics.rebuilt', targetType: 'metrics', details: { ...result } });
  return result;
}
