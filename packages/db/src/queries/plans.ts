import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { Plan, PlanInterval } from '../kysely/types.ts';

export type PlanRow = Selectable<Plan>;
export type PlanInsert = Omit<Insertable<Plan>, 'id' | 'createdAt' | 'updatedAt'>;

const inDisplayOrder = (db: Executor) => db.selectFrom('plans').selectAll().orderBy('displayOrder', 'asc').orderBy('priceAmount', 'asc').orderBy('slug', 'asc');

/** Every plan (or the active ones) in display order. */
export const list = (db: Executor, filter: { active?: boolean } = {}): Promise<PlanRow[]> => {
  let query = inDisplayOrder(db);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  return query.execute();
};

export const findBySlug = (db: Executor, slug: string): Promise<PlanRow | undefined> =>
  db.selectFrom('plans').selectAll().where('slug', '=', slug).executeTakeFirst();

export const findById = (db: Executor, id: string): Promise<PlanRow | undefined> => db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();

/** The plan one of whose prices (monthly or yearly) is the Stripe price, with that price's interval. */
export const findByStripePriceId = (db: Executor, stripePriceId: string): Promise<(PlanRow & { billingInterval: PlanInterval }) | undefined> =>
  db
    .selectFrom('plan_prices')
    .innerJoin('plans', 'plans.id', 'plan_prices.planId')
    .selectAll('plans')
    .select('plan_prices.interval as billingInterval')
    .where('plan_prices.stripePriceId', '=', stripePriceId)
    .executeTakeFirst();

export async function count(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('plans')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts the plan; the database gives it its one price (for its interval) in plan_prices. A second price is added with planPrices.upsert. */
export const insert = (db: Executor, values: PlanInsert): Promise<PlanRow> =>
  db
    .insertInto('plans')
    .values({ id: newId(), ...values })
    .returningAll()
    .executeTakeFirstOrThrow();

export const setStripePrice = (db: Executor, id: string, price: { stripePriceId: string; stripeProductId: string }): Promise<PlanRow> =>
  db.updateTable('plans').set(price).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/** Creates the plan (the database gives it its price) unless one with its slug exists (an existing plan is left as it is). */
export async function insertIfMissing(db: Executor, values: PlanInsert): Promise<void> {
  await db
    .insertInto('plans')
    .values({ id: newId(), ...values })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
}

export type PlanUpdate = Partial<Pick<PlanRow, 'name' | 'priceAmount' | 'currency' | 'interval' | 'stripePriceId' | 'stripeProductId' | 'active'>>;

export const update = (db: Executor, id: string, values: PlanUpdate): Promise<PlanRow> =>
  db.updateTable('plans').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
