import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { Refund } from '../kysely/types.ts';

export type RefundRow = Selectable<Refund>;
export type RefundInsert = Omit<Insertable<Refund>, 'id' | 'updatedAt'>;

export const listForInvoice = (db: Executor, invoiceId: string) =>
  db.selectFrom('refunds').select(['amount', 'status']).where('invoiceId', '=', invoiceId).execute();

export const insert = (db: Executor, values: RefundInsert): Promise<RefundRow> =>
  db
    .insertInto('refunds')
    .values({ id: newId(), ...values })
    .returningAll()
    .executeTakeFirstOrThrow();

/** Records a Stripe refund, or applies `onExisting` to the one already recorded under its id. */
export const upsertByStripeId = (
  db: Executor,
  values: RefundInsert & { stripeRefundId: string },
  onExisting: Omit<Updateable<Refund>, 'id' | 'invoiceId' | 'stripeRefundId'>,
): Promise<RefundRow> =>
  db
    .insertInto('refunds')
    .values({ id: newId(), ...values })
    .onConflict((oc) => oc.column('stripeRefundId').doUpdateSet(onExisting))
    .returningAll()
    .executeTakeFirstOrThrow();

/**
 * Records a Stripe refund as one read of Stripe saw it (`values.stripeReadTicket`), or brings the recorded
 * one to it: `onExisting` is applied only when the row's stored read is older, so an older read that
 * commits later never overwrites a newer one. Undefined when the row keeps its newer state.
 */
export const upsertStripeRead = (
  db: Executor,
  values: RefundInsert & { stripeRefundId: string; stripeReadTicket: string },
  onExisting: Pick<Updateable<Refund>, 'amount' | 'status'>,
): Promise<RefundRow | undefined> =>
  db
    .insertInto('refunds')
    .values({ id: newId(), ...values })
    .onConflict((oc) =>
      oc
        .column('stripeRefundId')
        .doUpdateSet({ ...onExisting, stripeReadTicket: values.stripeReadTicket })
        .where((eb) => eb.or([eb('refunds.stripeReadTicket', 'is', null), eb('refunds.stripeReadTicket', '<', values.stripeReadTicket)])),
    )
    .returningAll()
    .executeTakeFirst();

/** The sum of the invoice's refunds that went through. */
export async function sumSucceeded(db: Executor, invoiceId: string): Promise<number> {
  const row = await db
    .selectFrom('refunds')
    .select((eb) => eb.fn.sum<string | null>('amount').as('total'))
    .where('invoiceId', '=', invoiceId)
    .where('status', '=', 'SUCCEEDED')
    .executeTakeFirstOrThrow();
  return Number(row.total ?? 0);
}

/** The sum of the refunds that went through on all of a subscription's invoices. */
export async function sumSucceededForSubscription(db: Executor, subscriptionId: string): Promise<number> {
  const row = await db
    .selectFrom('refunds')
    .innerJoin('invoices', 'invoices.id', 'refunds.invoiceId')
    .select((eb) => eb.fn.sum<string | null>('refunds.amount').as('total'))
    .where('invoices.subscriptionId', '=', subscriptionId)
    .where('refunds.status', '=', 'SUCCEEDED')
    .executeTakeFirstOrThrow();
  return Number(row.total ?? 0);
}

/** Every refund of the invoices, oldest first. */
export const listForInvoices = (db: Executor, invoiceIds: string[]): Promise<RefundRow[]> =>
  invoiceIds.length === 0
    ? Promise.resolve([])
    : db.selectFrom('refunds').selectAll().where('invoiceId', 'in', invoiceIds).orderBy('createdAt', 'asc').orderBy('id', 'asc').execute();
