import { locks, sqlTxOf, type SqlTx, type Tx } from '@aquoris/db';

/**
 * @deprecated Either kind of transaction the webhook worker's apply step runs
 * in: the one `Tx`, or the legacy plain node-postgres one (`deps.db.sql`).
 * Everything else takes `Tx` from @aquoris/db.
 */
export type AnyTx = Tx | SqlTx;

export function isTx(tx: AnyTx): tx is Tx {
  return 'selectFrom' in tx;
}

/** The prepared-statement view of a transaction. */
export function sqlOf(tx: AnyTx): SqlTx {
  return isTx(tx) ? sqlTxOf(tx) : tx;
}

/** Thrown by work that needs query functions when it finds itself in a plain SQL transaction: the caller rolls back and runs it in a `Tx`. */
export class NeedsTransaction extends Error {
  constructor(what: string) {
    super(`${what} needs a database transaction`);
    this.name = 'NeedsTransaction';
  }
}

export function requireTx(tx: AnyTx, what: string): Tx {
  if (!isTx(tx)) throw new NeedsTransaction(what);
  return tx;
}

/** The advisory lock of `locks.lockKey`, in either kind of transaction. */
export async function lockKey(tx: AnyTx, key: string): Promise<void> {
  if (isTx(tx)) await locks.lockKey(tx, key);
  else await tx.query(locks.LOCK_KEY_STATEMENT, [key]);
}
