import { sql } from 'kysely';
import type { Executor } from '../client.ts';

// The Dashboard's rollup tables for tests that compare two ways of writing them (metrics:rebuild against the
// incremental path): a snapshot in a fixed order, and a copy to restore.

const ROLLUPS = ['mrr_events', 'metrics_customers', 'revenue_entries', 'metrics_daily', 'metrics_monthly'] as const;

const rows = async (db: Executor, query: string) => JSON.parse(JSON.stringify((await sql.raw(query).execute(db)).rows)) as unknown[];

/** Every rollup table's rows in a fixed order (mrr_events without its serial id), as plain JSON. */
export async function snapshotRollups(db: Executor) {
  return {
    events: await rows(
      db,
      `SELECT "appId", "customerId", currency, "occurredAt", "mrrBefore", "mrrAfter", kind, "activeDelta", "pastDueDelta", "trialingDelta", "subscriberChange"
       FROM mrr_events ORDER BY "customerId", "occurredAt", currency, "mrrBefore", "mrrAfter"`,
    ),
    customers: await rows(db, `SELECT * FROM metrics_customers ORDER BY "customerId", currency`),
    revenue: await rows(db, `SELECT * FROM revenue_entries ORDER BY "sourceId"`),
    daily: await rows(db, `SELECT * FROM metrics_daily ORDER BY "appId", day, currency`),
    monthly: await rows(db, `SELECT * FROM metrics_monthly ORDER BY "appId", month, currency`),
  };
}

/** Copies every rollup table into <table>_<name>. */
export async function saveRollups(db: Executor, name: string): Promise<void> {
  for (const t of ROLLUPS) {
    await sql.raw(`DROP TABLE IF EXISTS ${t}_${name}`).execute(db);
    await sql.raw(`CREATE TABLE ${t}_${name} AS TABLE ${t}`).execute(db);
  }
}

/** Puts back the rollup tables saved under `name`. */
export async function restoreRollups(db: Executor, name: string): Promise<void> {
  for (const t of ROLLUPS) {
    await sql.raw(`DELETE FROM ${t}`).execute(db);
    await sql.raw(`INSERT INTO ${t} SELECT * FROM ${t}_${name}`).execute(db);
  }
}

/** Runs a bulk change straight on the base tables, as an import would (test setup only). */
export async function runStatement(db: Executor, statement: string): Promise<void> {
  await sql.raw(statement).execute(db);
}
