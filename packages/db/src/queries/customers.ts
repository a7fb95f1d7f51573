import { sql, type Selectable } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import { newId } from '../ids.ts';
import type { Customer } from '../kysely/types.ts';
import { olderThan, type Keyset } from '../keyset.ts';

export type CustomerRow = Selectable<Customer>;
export interface CustomerProfile {
  email?: string;
  name?: string;
}

/** Creates the customer (appId, externalUserId) or updates the given profile fields; a concurrent first call waits on the unique key. */
export function upsert(db: Executor, appId: string, externalUserId: string, profile: CustomerProfile): Promise<CustomerRow> {
  return db
    .insertInto('customers')
    .values({ id: newId(), appId, externalUserId, ...profile })
    .onConflict((oc) => oc.columns(['appId', 'externalUserId']).doUpdateSet(Object.keys(profile).length ? profile : { externalUserId }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const findById = (db: Executor, id: string): Promise<CustomerRow | undefined> =>
  db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();

/** A customer only when it belongs to the app. */
export const findInApp = (db: Executor, appId: string, id: string): Promise<CustomerRow | undefined> =>
  db.selectFrom('customers').selectAll().where('id', '=', id).where('appId', '=', appId).executeTakeFirst();

export const findByExternalUserId = (db: Executor, appId: string, externalUserId: string): Promise<CustomerRow | undefined> =>
  db.selectFrom('customers').selectAll().where('appId', '=', appId).where('externalUserId', '=', externalUserId).executeTakeFirst();

export const findByStripeCustomerId = (db: Executor, stripeCustomerId: string): Promise<CustomerRow | undefined> =>
  db.selectFrom('customers').selectAll().where('stripeCustomerId', '=', stripeCustomerId).executeTakeFirst();

/** The customer locked for the caller's transaction, with its app's slug (Stripe metadata). */
export const findForUpdateWithAppSlug = (tx: Tx, id: string) =>
  tx
    .selectFrom('customers as c')
    .innerJoin('apps as a', 'a.id', 'c.appId')
    .selectAll('c')
    .select('a.slug as appSlug')
    .where('c.id', '=', id)
    .forUpdate('c')
    .executeTakeFirst();

export const setStripeCustomerId = async (db: Executor, id: string, stripeCustomerId: string): Promise<void> => {
  await db.updateTable('customers').set({ stripeCustomerId }).where('id', '=', id).execute();
};

/**
 * Marks the profile as waiting for Stripe. Each change gets its own mark,
 * later than any mark still pending (even two changes in one millisecond).
 */
export async function markStripeSyncRequested(db: Executor, id: string, now: Date): Promise<Date | undefined> {
  const row = await db
    .updateTable('customers')
    .set({ stripeSyncRequestedAt: sql<Date>`GREATEST(${now}::timestamptz, "stripeSyncRequestedAt" + interval '1 millisecond')` })
    .where('id', '=', id)
    .returning('stripeSyncRequestedAt')
    .executeTakeFirst();
  return row?.stripeSyncRequestedAt ?? undefined;
}

/** Clears the mark, unless a newer change set it again meanwhile. */
export async function clearStripeSyncRequested(db: Executor, id: string, requestedAt: Date): Promise<void> {
  await db.updateTable('customers').set({ stripeSyncRequestedAt: null }).where('id', '=', id).where('stripeSyncRequestedAt', '=', requestedAt).execute();
}

/** Marks older than `before`, oldest first (the sweeper's work). */
export async function listStripeSyncRequestedBefore(db: Executor, before: Date, limit: number): Promise<Array<{ id: string; requestedAt: Date }>> {
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'stripeSyncRequestedAt'])
    .where('stripeSyncRequestedAt', '<', before)
    .orderBy('stripeSyncRequestedAt', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, requestedAt: row.stripeSyncRequestedAt as Date }));
}

/** A customer of the app with its app's name, slug and return URL (the billing pages' header). */
export const findInAppWithApp = (db: Executor, appId: string, id: string) =>
  db
    .selectFrom('customers as c')
    .innerJoin('apps as a', 'a.id', 'c.appId')
    .select(['c.email', 'c.name', 'a.name as appName', 'a.slug as appSlug', 'a.returnUrl as appReturnUrl'])
    .where('c.id', '=', id)
    .where('c.appId', '=', appId)
    .executeTakeFirst();

/** Escapes LIKE's wildcards so a search term matches itself only. */
const likePrefix = (term: string) => `${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Customers whose external user id, email or name starts with `term` (case-insensitive), in one
 * app or all, newest first, after `cursor`, each with its app's slug.
 */
export function search(db: Executor, filter: { term?: string | undefined; appId?: string | undefined }, cursor: Keyset | null, limit: number) {
  let query = db
    .selectFrom('customers')
    .innerJoin('apps', 'apps.id', 'customers.appId')
    .selectAll('customers')
    .select('apps.slug as appSlug')
    .orderBy('customers.createdAt', 'desc')
    .orderBy('customers.id', 'desc')
    .limit(limit);
  if (filter.appId !== undefined) query = query.where('customers.appId', '=', filter.appId);
  if (filter.term) {
    const pattern = likePrefix(filter.term);
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['customers.externalUserId']), 'like', pattern),
        eb(eb.fn('lower', ['customers.email']), 'like', pattern),
        eb(eb.fn('lower', ['customers.name']), 'like', pattern),
      ]),
    );
  }
  if (cursor) query = query.where(olderThan('customers', cursor));
  return query.execute();
}

/** A customer with its app's slug and name. */
export const findByIdWithApp = (db: Executor, id: string) =>
  db
    .selectFrom('customers')
    .innerJoin('apps', 'apps.id', 'customers.appId')
    .selectAll('customers')
    .select(['apps.slug as appSlug', 'apps.name as appName'])
    .where('customers.id', '=', id)
    .executeTakeFirst();
