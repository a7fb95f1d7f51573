import { sql } from 'kysely';
import type { Executor } from '../client.ts';
import type { Keyset } from '../keyset.ts';

/** One row of the cross-app transactions list: an invoice, a payment (a paid invoice, at its payment time) or a refund. */
export interface TransactionRow {
  /** `<kind>_<row id>`: unique across the three kinds, and the keyset's tie-break. */
  id: string;
  kind: 'invoice' | 'payment' | 'refund';
  /** When it happened: the invoice's or refund's createdAt, the payment's paidAt. */
  createdAt: Date;
  invoiceId: string;
  appSlug: string;
  customerId: string;
  externalUserId: string;
  status: string;
  amount: number;
  currency: string;
  /** Stripe's mode of the object (false: test, and every manual row). */
  livemode: boolean;
}

export interface TransactionFilter {
  appId?: string | undefined;
  kind?: TransactionRow['kind'] | undefined;
  status?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  livemode?: boolean | undefined;
}

const KINDS = ['invoice', 'payment', 'refund'] as const;

function conditions(kind: TransactionRow['kind'], filter: TransactionFilter, cursor: Keyset | null) {
  // Each branch filters on its own columns, so the row-value keyset reaches that table's (createdAt, id) order.
  const at = kind === 'payment' ? sql.ref('i.paidAt') : kind === 'refund' ? sql.ref('r.createdAt') : sql.ref('i.createdAt');
  const rowId = kind === 'refund' ? sql.ref('r.id') : sql.ref('i.id');
  const status = kind === 'payment' ? sql.lit('PAID') : kind === 'refund' ? sql`r.status::text` : sql`i.status::text`;
  const parts = [kind === 'payment' ? sql`i."paidAt" is not null` : sql`true`];
  if (filter.appId !== undefined) parts.push(sql`i."appId" = ${filter.appId}`);
  if (filter.status !== undefined) parts.push(sql`${status} = ${filter.status}`);
  if (filter.from !== undefined) parts.push(sql`${at} >= ${filter.from}::timestamptz`);
  if (filter.to !== undefined) parts.push(sql`${at} < ${filter.to}::timestamptz`);
  if (filter.livemode !== undefined) parts.push(sql`${kind === 'refund' ? sql.ref('r.livemode') : sql.ref('i.livemode')} = ${filter.livemode}`);
  if (cursor) parts.push(sql`(${at}, ${sql.lit(`${kind}_`)} || ${rowId}) < (${cursor.createdAt}::timestamptz, ${cursor.id})`);
  return { at, rowId, status, where: sql.join(parts, sql` and `) };
}

function branch(kind: TransactionRow['kind'], filter: TransactionFilter, cursor: Keyset | null, limit: number) {
  const { at, rowId, status, where } = conditions(kind, filter, cursor);
  const amount = kind === 'payment' ? sql.ref('i.amountPaid') : kind === 'refund' ? sql.ref('r.amount') : sql.ref('i.amount');
  const from = kind === 'refund' ? sql`refunds r join invoices i on i.id = r."invoiceId"` : sql`invoices i`;
  return sql`(select ${sql.lit(`${kind}_`)} || ${rowId} as id, ${sql.lit(kind)} as kind, ${at} as "createdAt", i.id as "invoiceId",
      a.slug as "appSlug", c.id as "customerId", c."externalUserId", ${status} as status, ${amount} as amount, i.currency::text as currency,
      ${kind === 'refund' ? sql.ref('r.livemode') : sql.ref('i.livemode')} as livemode
    from ${from} join apps a on a.id = i."appId" join customers c on c.id = i."customerId"
    where ${where} order by 3 desc, 1 desc limit ${limit})`;
}

/**
 * One page of every app's invoices, payments and refunds, newest first by (createdAt, id): a UNION ALL
 * of one branch per kind, each limited to the page, then merged. The keyset is strict, so rows written
 * while a client pages on sort before the first page and never repeat or push a row off.
 */
export async function listPage(db: Executor, filter: TransactionFilter, cursor: Keyset | null, limit: number): Promise<TransactionRow[]> {
  const kinds = filter.kind === undefined ? KINDS : [filter.kind];
  const union = sql.join(
    kinds.map((kind) => branch(kind, filter, cursor, limit)),
    sql` union all `,
  );
  const { rows } = await sql<TransactionRow>`select * from (${union}) t order by "createdAt" desc, id desc limit ${limit}`.execute(db);
  return rows;
}
