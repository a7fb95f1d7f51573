import { sql } from 'kysely';
import type { Tx } from '../client.ts';

/**
 * A transaction-scoped PostgreSQL advisory lock on a string key: concurrent
 * transactions taking the same key run one after another, and the lock goes
 * with the transaction (commit, rollback or a dropped connection).
 * Order when several are taken: checkout, then subscription, then invoice.
 */
export async function lockKey(tx: Tx, key: string): Promise<void> {
  await sql`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
}
