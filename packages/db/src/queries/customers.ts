import { sql, type ExpressionBuilder, type QueryCreator, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import { newId } from '../ids.ts';
import type { Customer, DB } from '../kysely/types.ts';
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
export const findWithAppSlug = (db: Executor, id: string) =>
  db
    .selectFrom('customers as c')
    .innerJoin('apps as a', 'a.id', 'c.appId')
    .selectAll('c')
    .select('a.slug as appSlug')
    .where('c.id', '=', id)
    .executeTakeFirst();

/**
 * Links the Stripe customer unless the row has one of the same mode already (a concurrent first call stored its
 * own): returns the one stored. A Stripe customer of the other mode is replaced.
 */
export async function setStripeCustomerIdIfEmpty(tx: Tx, id: string, stripeCustomerId: string, livemode = false): Promise<string> {
  const row = await tx.selectFrom('customers').select(['stripeCustomerId', 'livemode']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
  if (row.stripeCustomerId && row.livemode === livemode) return row.stripeCustomerId;
  await setStripeCustomerId(tx, id, stripeCustomerId, livemode);
  return stripeCustomerId;
}

export const setStripeCustomerId = async (db: Executor, id: string, stripeCustomerId: string, livemode = false): Promise<void> => {
  await db.updateTable('customers').set({ stripeCustomerId, livemode }).where('id', '=', id).execute();
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

/** How many of the newest customers a search reads first: a common prefix fills its page among them (bounded work). */
export const SEARCH_RECENT_WINDOW = 5_000;

interface SearchFilter {
  term?: string | undefined;
  appId?: string | undefined;
}

/** The prefix on any of the three columns, written as the indexes are built (lower(...) LIKE 'term%'). */
function prefixMatch(term: string) {
  const pattern = likePrefix(term);
  return (eb: ExpressionBuilder<DB, 'customers'>) =>
    eb.or([
      eb(eb.fn('lower', ['customers.externalUserId']), 'like', pattern),
      eb(eb.fn('lower', ['customers.email']), 'like', pattern),
      eb(eb.fn('lower', ['customers.name']), 'like', pattern),
    ]);
}

/** Customers of the app (or all) after the cursor. */
function inScope(db: QueryCreator<DB>, filter: SearchFilter, cursor: Keyset | null) {
  const query = db.selectFrom('customers');
  const scoped = filter.appId === undefined ? query : query.where('customers.appId', '=', filter.appId);
  return cursor ? scoped.where(olderThan('customers', cursor)) : scoped;
}

/** One page of `from` (customers, or a derived table of customer rows named so) newest first, each with its app's slug. */
const pageOf = (from: SelectQueryBuilder<DB, 'customers', object>, limit: number) =>
  from
    .innerJoin('apps', 'apps.id', 'customers.appId')
    .selectAll('customers')
    .select('apps.slug as appSlug')
    .orderBy('customers.createdAt', 'desc')
    .orderBy('customers.id', 'desc')
    .limit(limit);

/**
 * Customers whose external user id, email or name starts with `term` (case-insensitive), in one
 * app or all, newest first, after `cursor`, each with its app's slug.
 *
 * With a term, two bounded steps instead of trusting the planner (which assumes matches are spread
 * evenly, and would read newest first through most of the table when they are all old ones):
 * 1. the newest SEARCH_RECENT_WINDOW customers in scope, filtered: a common prefix fills its page here;
 * 2. else every match's (id, createdAt), gathered through the lower(...) text_pattern_ops indexes (a
 *    materialized CTE cannot be read in createdAt order, so PostgreSQL takes them) and sorted; then the
 *    page's rows. Its cost grows with the matches: about 2 µs each.
 * Both are planned for this term (force_custom_plan): a generic plan of `LIKE $1` cannot use a prefix index.
 */
export function searchQueries(db: QueryCreator<DB>, filter: SearchFilter & { term: string }, cursor: Keyset | null, limit: number) {
  const matches = prefixMatch(filter.term);
  const newest = inScope(db, filter, cursor)
    .selectAll('customers')
    .orderBy('customers.createdAt', 'desc')
    .orderBy('customers.id', 'desc')
    .limit(SEARCH_RECENT_WINDOW);
  return {
    recent: pageOf(db.selectFrom(newest.as('customers')).where(matches), limit),
    all: pageOf(
      db
        .with(
          (cte) => cte('all_matches').materialized(),
          (q) => inScope(q, filter, cursor).where(matches).select(['customers.id', 'customers.createdAt']),
        )
        .selectFrom('customers')
        .where('customers.id', 'in', (eb) =>
          eb.selectFrom('all_matches').select('all_matches.id').orderBy('all_matches.createdAt', 'desc').orderBy('all_matches.id', 'desc').limit(limit),
        ),
      limit,
    ),
  };
}

export async function search(db: Executor, filter: SearchFilter, cursor: Keyset | null, limit: number) {
  const { term } = filter;
  if (!term) return pageOf(inScope(db, filter, cursor), limit).execute();
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL plan_cache_mode = force_custom_plan`.execute(tx);
    const steps = searchQueries(tx, { ...filter, term }, cursor, limit);
    const recent = await steps.recent.execute();
    return recent.length === limit ? recent : steps.all.execute();
  });
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
