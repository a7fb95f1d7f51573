import type { Insertable, Selectable } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import { newId } from '../ids.ts';
import { olderThan, type Keyset } from '../keyset.ts';
import type { Currency, Wallet, WalletEntry } from '../kysely/types.ts';

export type WalletRow = Selectable<Wallet>;
export type WalletEntryRow = Selectable<WalletEntry>;
export type WalletEntryInsert = Omit<Insertable<WalletEntry>, 'id' | 'walletId' | 'appId' | 'balanceAfter' | 'createdAt'>;

/** The customer's wallet in `currency`, created empty when it has none, and locked (FOR UPDATE) until `tx` ends. */
export async function lockOrCreate(tx: Tx, appId: string, customerId: string, currency: Currency): Promise<WalletRow> {
  await tx
    .insertInto('wallets')
    .values({ id: newId(), appId, customerId, currency })
    .onConflict((oc) => oc.columns(['customerId', 'currency']).doNothing())
    .execute();
  return tx.selectFrom('wallets').selectAll().where('customerId', '=', customerId).where('currency', '=', currency).forUpdate().executeTakeFirstOrThrow();
}

export const findForCustomer = (db: Executor, customerId: string, currency: Currency): Promise<WalletRow | undefined> =>
  db.selectFrom('wallets').selectAll().where('customerId', '=', customerId).where('currency', '=', currency).executeTakeFirst();

export const listForCustomer = (db: Executor, customerId: string): Promise<WalletRow[]> =>
  db.selectFrom('wallets').selectAll().where('customerId', '=', customerId).orderBy('currency').execute();

/**
 * Appends one entry to a wallet locked by `lockOrCreate` and moves the cached balance by its amount, in the
 * same transaction: the entry carries the balance after it.
 */
export async function append(tx: Tx, wallet: WalletRow, values: WalletEntryInsert): Promise<WalletEntryRow> {
  const balanceAfter = wallet.balance + values.amount;
  const entry = await tx
    .insertInto('wallet_entries')
    .values({ id: newId(), walletId: wallet.id, appId: wallet.appId, balanceAfter, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.updateTable('wallets').set({ balance: balanceAfter }).where('id', '=', wallet.id).execute();
  wallet.balance = balanceAfter;
  return entry;
}

/** The app's entry recorded under `idempotencyKey`, with its wallet's customer and currency. */
export const findByIdempotencyKey = (db: Executor, appId: string, idempotencyKey: string) =>
  db
    .selectFrom('wallet_entries')
    .innerJoin('wallets', 'wallets.id', 'wallet_entries.walletId')
    .selectAll('wallet_entries')
    .select(['wallets.customerId', 'wallets.currency'])
    .where('wallet_entries.appId', '=', appId)
    .where('wallet_entries.idempotencyKey', '=', idempotencyKey)
    .executeTakeFirst();

export const findDepositBySession = (db: Executor, stripeCheckoutSessionId: string): Promise<WalletEntryRow | undefined> =>
  db.selectFrom('wallet_entries').selectAll().where('stripeCheckoutSessionId', '=', stripeCheckoutSessionId).executeTakeFirst();

/** An entry of one app's wallets, with the wallet's customer and currency. */
export const findEntryInApp = (db: Executor, appId: string | null, entryId: string) => {
  let query = db
    .selectFrom('wallet_entries')
    .innerJoin('wallets', 'wallets.id', 'wallet_entries.walletId')
    .selectAll('wallet_entries')
    .select(['wallets.customerId', 'wallets.currency'])
    .where('wallet_entries.id', '=', entryId);
  if (appId !== null) query = query.where('wallet_entries.appId', '=', appId);
  return query.executeTakeFirst();
};

export const findRefundOf = (db: Executor, entryId: string): Promise<WalletEntryRow | undefined> =>
  db.selectFrom('wallet_entries').selectAll().where('refundOfEntryId', '=', entryId).executeTakeFirst();

/** A page of the customer's entries (all currencies, or one), newest first, after `cursor`: `limit + 1` rows to tell a next page. */
export function listEntries(db: Executor, customerId: string, options: { currency?: Currency; cursor: Keyset | null; limit: number }) {
  let query = db
    .selectFrom('wallet_entries')
    .innerJoin('wallets', 'wallets.id', 'wallet_entries.walletId')
    .selectAll('wallet_entries')
    .select('wallets.currency')
    .where('wallets.customerId', '=', customerId);
  if (options.currency) query = query.where('wallets.currency', '=', options.currency);
  if (options.cursor) query = query.where(olderThan('wallet_entries', options.cursor));
  return query
    .orderBy('wallet_entries.createdAt', 'desc')
    .orderBy('wallet_entries.id', 'desc')
    .limit(options.limit + 1)
    .execute();
}

/** The sum of a wallet's entries: the ledger's balance, which the cached one must equal. */
export async function ledgerBalance(db: Executor, walletId: string): Promise<number> {
  const row = await db
    .selectFrom('wallet_entries')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount'), eb.lit(0)).as('total'))
    .where('walletId', '=', walletId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Which of these deposit entries a refund has given back. */
export async function listRefundedAmong(db: Executor, entryIds: string[]): Promise<string[]> {
  if (entryIds.length === 0) return [];
  const rows = await db.selectFrom('wallet_entries').select('refundOfEntryId').where('refundOfEntryId', 'in', entryIds).execute();
  return rows.map((r) => r.refundOfEntryId!);
}
