import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import type { RevenueEntry } from '../kysely/types.ts';

// Revenue as docs/metrics.md defines it, written once: each PAID invoice adds its amount paid on the UTC day
// it was paid; each SUCCEEDED refund takes its amount off on the UTC day it was made. One entry per invoice or
// refund (revenue_entries) records what it added, so a change moves the daily rollup by the difference.

export type RevenueEntryRow = Selectable<RevenueEntry>;

const utcDay = (column: string) => sql<Date>`date_trunc('day', ${sql.ref(column)}, 'UTC')`;

/** What the invoices (one, or an app's) add to revenue now, by the definition. */
function currentEntries(db: Executor, scope: { invoiceId: string } | { appId: string }) {
  const gross = db
    .selectFrom('invoices')
    .select([
      'invoices.id as sourceId',
      'invoices.id as invoiceId',
      'invoices.appId',
      'invoices.currency',
      utcDay('invoices.paidAt').as('day'),
      'invoices.amountPaid as gross',
      sql<number>`0`.as('refunds'),
    ])
    .where('invoices.status', '=', 'PAID')
    .where('invoices.paidAt', 'is not', null)
    .where('invoices.amountPaid', '<>', 0);
  const refunds = db
    .selectFrom('refunds')
    .innerJoin('invoices', 'invoices.id', 'refunds.invoiceId')
    .select([
      'refunds.id as sourceId',
      'invoices.id as invoiceId',
      'invoices.appId',
      'invoices.currency',
      utcDay('refunds.createdAt').as('day'),
      sql<number>`0`.as('gross'),
      'refunds.amount as refunds',
    ])
    .where('refunds.status', '=', 'SUCCEEDED');
  return 'invoiceId' in scope
    ? gross.where('invoices.id', '=', scope.invoiceId).unionAll(refunds.where('invoices.id', '=', scope.invoiceId))
    : gross.where('invoices.appId', '=', scope.appId).unionAll(refunds.where('invoices.appId', '=', scope.appId));
}

/** The invoice's entries by the definition, from the invoice and its refunds. */
export const listCurrentForInvoice = (db: Executor, invoiceId: string): Promise<RevenueEntryRow[]> => currentEntries(db, { invoiceId }).execute();

/** The invoice's entries as last recorded. */
export const listRecordedForInvoice = (db: Executor, invoiceId: string): Promise<RevenueEntryRow[]> =>
  db.selectFrom('revenue_entries').selectAll().where('invoiceId', '=', invoiceId).execute();

export async function saveEntries(tx: Tx, rows: readonly Insertable<RevenueEntry>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('revenue_entries')
    .values([...rows])
    .onConflict((oc) =>
      oc.column('sourceId').doUpdateSet((eb) => ({ day: eb.ref('excluded.day'), gross: eb.ref('excluded.gross'), refunds: eb.ref('excluded.refunds') })),
    )
    .execute();
}

export async function deleteEntries(tx: Tx, sourceIds: readonly string[]): Promise<void> {
  if (sourceIds.length > 0) await tx.deleteFrom('revenue_entries').where('sourceId', 'in', sourceIds).execute();
}

/** The rebuild: the app's entries recomputed from its invoices and refunds; returns how many there are. */
export async function replaceAppEntries(tx: Tx, appId: string): Promise<number> {
  await tx.deleteFrom('revenue_entries').where('appId', '=', appId).execute();
  const result = await tx
    .insertInto('revenue_entries')
    .columns(['sourceId', 'invoiceId', 'appId', 'currency', 'day', 'gross', 'refunds'])
    .expression(currentEntries(tx, { appId }))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
