import { restoreRollups, runStatement, saveRollups, seedDashboard, snapshotRollups } from '@aquoris/db/testing';
import { describe, expect, it } from 'vitest';
import { useCoreDeps } from '../testing/deps.ts';
import { TEST_OPERATOR } from '../testing/factories.ts';
import { rebuildMetrics } from './rebuild.ts';
import { reconcileCustomers, recordInvoiceRevenue } from './record.ts';

// The set-based rebuild (SQL) against the incremental path (the TypeScript rules of definitions.ts and
// changes.ts, one customer and one invoice at a time): from the same base rows they must write the same
// rollups, row for row, both on a bulk import the log has never seen and after bulk changes on top of it.

const deps = useCoreDeps('2026-11-20T00:00:00.000Z');
/** The incremental path over every customer and invoice, as the write paths call it. */
async function incremental(): Promise<void> {
  const d = deps();
  const customers = (await d.db.kysely.selectFrom('customers').select(['id as customerId', 'appId']).orderBy('id').execute()).map((c) => ({ ...c }));
  for (let i = 0; i < customers.length; i += 500)
    await d.db.transaction((tx) => reconcileCustomers(tx, customers.slice(i, i + 500), d.clock.now(), { backfill: true }));
  const invoices = await d.db.kysely.selectFrom('invoices').select(['id', 'appId']).orderBy('id').execute();
  for (const invoice of invoices) await d.db.transaction((tx) => recordInvoiceRevenue(tx, invoice));
}

const db = () => deps().db.kysely;
const snapshot = () => snapshotRollups(db());

describe('metrics:rebuild (set-based)', () => {
  it(
    'writes the same rollups as the incremental path, on a bulk import and after bulk changes, and nothing more when run again',
    { timeout: 240_000 },
    async () => {
      const d = deps();
      await seedDashboard(d.db.kysely, { subscriptions: 800, invoices: 500, apps: 3, now: d.clock.now() });
      await saveRollups(db(), 'empty');

      await incremental();
      const byIncremental = await snapshot();
      expect(byIncremental.events.length).toBeGreaterThan(300);
      await restoreRollups(db(), 'empty');
      const first = await rebuildMetrics(d, TEST_OPERATOR);
      expect(first).toMatchObject({ apps: 3, customers: 720 });
      expect(first.changedCustomers).toBeGreaterThan(300);
      expect(await snapshot()).toEqual(byIncremental);

      // Bulk changes straight into the base tables (as an import would), each compared both ways: statuses, plans
      // (across currencies) and refunds; then the ended ones back (reactivations) and the trials converted.
      const rounds = [
        [
          `UPDATE subscriptions SET status = (ARRAY['ACTIVE','PAST_DUE','TRIALING','CANCELED','EXPIRED']::"SubscriptionStatus"[])[1 + (substr(id, 4)::int * 13) % 5]
           WHERE substr(id, 4)::int % 3 = 0`,
          `UPDATE subscriptions SET "planId" = 'bp_' || (1 + substr(id, 4)::int % 8) WHERE substr(id, 4)::int % 7 = 0`,
          `UPDATE refunds SET status = 'FAILED' WHERE substr(id, 7)::int % 200 = 0`,
        ],
        [
          `UPDATE subscriptions SET status = 'ACTIVE' WHERE status IN ('CANCELED', 'EXPIRED', 'UNPAID') AND substr(id, 4)::int % 2 = 0`,
          `UPDATE subscriptions SET status = 'ACTIVE' WHERE status = 'TRIALING'`,
        ],
      ];
      let last = first;
      for (const [i, statements] of rounds.entries()) {
        d.clock.set(new Date(Date.parse('2026-11-25T12:00:00.000Z') + i * 86_400_000));
        for (const statement of statements) await runStatement(db(), statement);
        await saveRollups(db(), 'before');
        await incremental();
        const changedIncrementally = await snapshot();
        await restoreRollups(db(), 'before');
        last = await rebuildMetrics(d, TEST_OPERATOR);
        expect(last.changedCustomers).toBeGreaterThan(50);
        expect(await snapshot()).toEqual(changedIncrementally);
      }
      const reactivations = await d.db.kysely.selectFrom('mrr_events').select('id').where('kind', '=', 'REACTIVATION').execute();
      expect(reactivations.length).toBeGreaterThan(10);

      const settled = await snapshot();
      expect(await rebuildMetrics(d, TEST_OPERATOR)).toEqual({ ...last, changedCustomers: 0 });
      expect(await snapshot()).toEqual(settled);
      const audits = await d.db.kysely.selectFrom('audit_logs').select('details').where('action', '=', 'metrics.rebuilt').execute();
      expect(audits).toHaveLength(4);
    },
  );
});
