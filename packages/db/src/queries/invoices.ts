import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import { newId } from '../ids.ts';
import { newerThan, type Keyset } from '../keyset.ts';
import type { Invoice } from '../kysely/types.ts';

export type InvoiceRow = Selectable<Invoice>;
export type InvoiceInsert = Omit<Insertable<Invoice>, 'id' | 'updatedAt'>;
export type InvoiceUpdate = Omit<Updateable<Invoice>, 'id' | 'createdAt' | 'updatedAt'>;

/** The customer's invoices, newest first, each with the name of its subscription's plan. */
export const listForCustomer = (db: Executor, appId: string, customerId: string, limit: number) =>
  db
    .selectFrom('invoices')
    .leftJoin('subscriptions', 'subscriptions.id', 'invoices.subscriptionId')
    .leftJoin('plans', 'plans.id', 'subscriptions.planId')
    .selectAll('invoices')
    .select('plans.name as planName')
    .where('invoices.customerId', '=', customerId)
    .where('invoices.appId', '=', appId)
    .orderBy('invoices.createdAt', 'desc')
    .orderBy('invoices.id', 'desc')
    .limit(limit)
    .execute();

export const findById = (db: Executor, id: string): Promise<InvoiceRow | undefined> =>
  db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();

export const findByStripeId = (db: Executor, stripeInvoiceId: string): Promise<InvoiceRow | undefined> =>
  db.selectFrom('invoices').selectAll().where('stripeInvoiceId', '=', stripeInvoiceId).executeTakeFirst();

/** `findByStripeId`, the row locked FOR UPDATE. */
export const findByStripeIdForUpdate = (tx: Tx, stripeInvoiceId: string): Promise<InvoiceRow | undefined> =>
  tx.selectFrom('invoices').selectAll().where('stripeInvoiceId', '=', stripeInvoiceId).forUpdate().executeTakeFirst();

/** A Stripe invoice paid by the charge or the payment intent. */
export const findStripeByPayment = (db: Executor, chargeId: string, paymentIntentId: string | null): Promise<InvoiceRow | undefined> =>
  db
    .selectFrom('invoices')
    .selectAll()
    .where('source', '=', 'STRIPE')
    .where((eb) => eb.or([eb('stripeChargeId', '=', chargeId), ...(paymentIntentId ? [eb('stripePaymentIntentId', '=', paymentIntentId)] : [])]))
    .limit(1)
    .executeTakeFirst();

export const insert = (db: Executor, values: InvoiceInsert): Promise<InvoiceRow> =>
  db
    .insertInto('invoices')
    .values({ id: newId(), ...values })
    .returningAll()
    .executeTakeFirstOrThrow();

export const update = (db: Executor, id: string, values: InvoiceUpdate): Promise<InvoiceRow> =>
  db.updateTable('invoices').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export async function addRefunded(db: Executor, id: string, amount: number): Promise<void> {
  await db
    .updateTable('invoices')
    .set({ amountRefunded: sql<number>`"amountRefunded" + ${amount}` })
    .where('id', '=', id)
    .execute();
}

/** Every invoice of the customer, newest first, with its subscription's plan slug. */
export const listAllForCustomer = (db: Executor, customerId: string) =>
  db
    .selectFrom('invoices')
    .leftJoin('subscriptions', 'subscriptions.id', 'invoices.subscriptionId')
    .leftJoin('plans', 'plans.id', 'subscriptions.planId')
    .selectAll('invoices')
    .select('plans.slug as planSlug')
    .where('invoices.customerId', '=', customerId)
    .orderBy('invoices.createdAt', 'desc')
    .orderBy('invoices.id', 'desc')
    .execute();

export const findByIdempotencyKey = (db: Executor, idempotencyKey: string): Promise<InvoiceRow | undefined> =>
  db.selectFrom('invoices').selectAll().where('idempotencyKey', '=', idempotencyKey).executeTakeFirst();

/** Invoices created in [from, to), oldest first, after `cursor`, with their app's slug and customer: one page of the invoices export. */
export function listCreatedBetweenPage(db: Executor, range: { from: Date; to: Date; appId?: string | undefined }, cursor: Keyset | null, limit: number) {
  let query = db
    .selectFrom('invoices')
    .innerJoin('apps', 'apps.id', 'invoices.appId')
    .innerJoin('customers', 'customers.id', 'invoices.customerId')
    .selectAll('invoices')
    .select(['apps.slug as appSlug', 'customers.externalUserId', 'customers.email as customerEmail'])
    .where('invoices.createdAt', '>=', range.from)
    .where('invoices.createdAt', '<', range.to)
    .orderBy('invoices.createdAt', 'asc')
    .orderBy('invoices.id', 'asc')
    .limit(limit);
  if (range.appId !== undefined) query = query.where('invoices.appId', '=', range.appId);
  if (cursor) query = query.where(newerThan('invoices', cursor));
  return query.execute();
}

/** One invoice of the app, or undefined when the id is unknown or another app's. */
export const findForApp = (db: Executor, appId: string, id: string): Promise<InvoiceRow | undefined> =>
  db.selectFrom('invoices').selectAll().where('id', '=', id).where('appId', '=', appId).executeTakeFirst();

/** `findById`, the row locked FOR UPDATE. */
export const findByIdForUpdate = (tx: Tx, id: string): Promise<InvoiceRow | undefined> =>
  tx.selectFrom('invoices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** The invoice the payment intent collects, locked FOR UPDATE. */
export const findByPaymentIntentIdForUpdate = (tx: Tx, stripePaymentIntentId: string): Promise<InvoiceRow | undefined> =>
  tx.selectFrom('invoices').selectAll().where('stripePaymentIntentId', '=', stripePaymentIntentId).forUpdate().executeTakeFirst();
