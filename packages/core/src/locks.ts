import type { Prisma } from '@aquoris/db';

export type Tx = Prisma.TransactionClient;

/**
 * A transaction-scoped PostgreSQL advisory lock on a string key: concurrent
 * transactions taking the same key run one after another, and the lock goes
 * with the transaction (commit, rollback or a dropped connection).
 * Order when several are taken: checkout, then subscription, then invoice.
 */
export async function lockKey(tx: Tx, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** Interactive transactions that hold a lock across a Stripe call need more than Prisma's 5 s default. */
export const LONG_TX = { timeout: 30_000, maxWait: 10_000 } as const;
