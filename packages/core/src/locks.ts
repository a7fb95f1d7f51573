import type { PreparedStatement, Prisma, SqlTx } from '@aquoris/db';

/** @deprecated Prisma's interactive transaction, until every caller takes the one `Tx` from @aquoris/db. */
export type PrismaTx = Prisma.TransactionClient;

/**
 * Either kind of transaction a domain function can run in: Prisma's
 * interactive transaction, or a plain node-postgres one (`deps.db.sql.transaction`,
 * about a seventh of the CPU per statement, for the webhook worker's hot path).
 * Code that needs Prisma's model API takes `PrismaTx`; code written against `SqlTx`
 * (prepared statements) runs in both through `sqlOf`.
 */
export type AnyTx = PrismaTx | SqlTx;

export function isPrismaTx(tx: AnyTx): tx is PrismaTx {
  return '$queryRawUnsafe' in tx;
}

/** The prepared-statement view of a transaction. */
export function sqlOf(tx: AnyTx): SqlTx {
  if (!isPrismaTx(tx)) return tx;
  return { query: <R>(statement: PreparedStatement, values: unknown[]) => tx.$queryRawUnsafe<R[]>(statement.text, ...values) };
}

/** Thrown by work that needs Prisma's model API when it finds itself in a plain SQL transaction: the caller rolls back and runs it in Prisma's. */
export class NeedsPrismaTransaction extends Error {
  constructor(what: string) {
    super(`${what} needs a Prisma transaction`);
    this.name = 'NeedsPrismaTransaction';
  }
}

export function requirePrismaTx(tx: AnyTx, what: string): PrismaTx {
  if (!isPrismaTx(tx)) throw new NeedsPrismaTransaction(what);
  return tx;
}

const LOCK_SQL: PreparedStatement = { name: 'aqb_advisory_xact_lock_v1', text: 'SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))' };

/**
 * A transaction-scoped PostgreSQL advisory lock on a string key: concurrent
 * transactions taking the same key run one after another, and the lock goes
 * with the transaction (commit, rollback or a dropped connection).
 * Order when several are taken: checkout, then subscription, then invoice.
 */
export async function lockKey(tx: AnyTx, key: string): Promise<void> {
  await sqlOf(tx).query(LOCK_SQL, [key]);
}

/** Interactive transactions that hold a lock across a Stripe call need more than Prisma's 5 s default. */
export const LONG_TX = { timeout: 30_000, maxWait: 10_000 } as const;
