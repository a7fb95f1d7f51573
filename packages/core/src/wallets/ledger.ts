import { customers, wallets, type CustomerRow, type Executor, type WalletEntryRow } from '@aquoris/db';
import type { AppActor } from '../actors.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { formatMoney, type Currency } from '../money.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import type { WalletEntryView, WalletView } from './schemas.ts';

export function toEntryView(entry: WalletEntryRow, currency: Currency, refunded?: boolean): WalletEntryView {
  return {
    id: entry.id,
    kind: entry.kind,
    amountCents: entry.amount,
    currency,
    balanceAfterCents: entry.balanceAfter,
    description: entry.description,
    ...(entry.kind === 'DEPOSIT' ? { refunded: refunded ?? false } : {}),
    createdAt: entry.createdAt.toISOString(),
  };
}

export async function getAppCustomerOrThrow(deps: Pick<Deps, 'db'>, actor: AppActor, externalUserId: string): Promise<CustomerRow> {
  const customer = await customers.findByExternalUserId(deps.db.kysely, actor.appId, externalUserId);
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', `No customer "${externalUserId}" in this app`);
  return customer;
}

export function insufficientFunds(balance: number, needed: number, currency: Currency): AppError {
  const held = formatMoney(balance, currency);
  return new AppError(
    'INSUFFICIENT_FUNDS',
    `Insufficient funds: the ${currency} wallet holds ${held} (balanceCents ${balance}); this needs ${formatMoney(needed, currency)}`,
    {
      details: { balanceCents: balance, currency },
      userMessage: `Your wallet holds ${held}, which is not enough.`,
    },
  );
}

/** Balances per currency and one newest-first page of the customer's ledger (keyset cursor on (createdAt, id)). */
export async function readWallet(
  db: Executor,
  customerId: string,
  query: { currency?: Currency | undefined; cursor?: string | undefined; limit: number },
): Promise<WalletView> {
  const cursor = decodeCursor(query.cursor);
  const [rows, balances] = await Promise.all([
    wallets.listEntries(db, customerId, { ...(query.currency ? { currency: query.currency } : {}), cursor, limit: query.limit }),
    wallets.listForCustomer(db, customerId),
  ]);
  const page = toPage(rows, query.limit);
  const refunded = new Set(
    await wallets.listRefundedAmong(
      db,
      page.rows.filter((r) => r.kind === 'DEPOSIT').map((r) => r.id),
    ),
  );
  return {
    balances: balances.filter((w) => !query.currency || w.currency === query.currency).map((w) => ({ currency: w.currency, balanceCents: w.balance })),
    history: page.rows.map((r) => toEntryView(r, r.currency, refunded.has(r.id))),
    nextCursor: page.nextCursor,
  };
}
