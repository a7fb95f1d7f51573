import type { Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { PlanInterval, PlanPrice } from '../kysely/types.ts';

export type PlanPriceRow = Selectable<PlanPrice>;
/** One price of a plan, as it is written: its interval, amount, currency and Stripe price (if any). */
export type PlanPriceFields = Pick<PlanPriceRow, 'interval' | 'amount' | 'currency' | 'stripePriceId'>;

/** The prices of the plans, monthly before yearly. */
export const listForPlans = (db: Executor, planIds: readonly string[]): Promise<PlanPriceRow[]> =>
  planIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('plan_prices')
        .selectAll()
        .where('planId', 'in', [...new Set(planIds)])
        .orderBy('planId')
        .orderBy('interval')
        .execute();

export const find = (db: Executor, planId: string, interval: PlanInterval): Promise<PlanPriceRow | undefined> =>
  db.selectFrom('plan_prices').selectAll().where('planId', '=', planId).where('interval', '=', interval).executeTakeFirst();

/** The plan price a Stripe price is (a Stripe subscription's item names it). */
export const findByStripePriceId = (db: Executor, stripePriceId: string): Promise<PlanPriceRow | undefined> =>
  db.selectFrom('plan_prices').selectAll().where('stripePriceId', '=', stripePriceId).executeTakeFirst();

/** Sets the plan's price for the interval (creating it, or replacing its amount, currency and Stripe price); the plan's own price columns follow its default price. */
export const upsert = (db: Executor, planId: string, price: PlanPriceFields): Promise<PlanPriceRow> =>
  db
    .insertInto('plan_prices')
    .values({ id: newId(), planId, ...price })
    .onConflict((oc) => oc.columns(['planId', 'interval']).doUpdateSet({ amount: price.amount, currency: price.currency, stripePriceId: price.stripePriceId }))
    .returningAll()
    .executeTakeFirstOrThrow();

/** Adds the plan's price for the interval unless it has one (the seed: a price an operator changed stays as it is). */
export async function insertIfMissing(db: Executor, planId: string, price: PlanPriceFields): Promise<void> {
  await db
    .insertInto('plan_prices')
    .values({ id: newId(), planId, ...price })
    .onConflict((oc) => oc.columns(['planId', 'interval']).doNothing())
    .execute();
}

export const setStripePrice = (db: Executor, id: string, stripePriceId: string): Promise<PlanPriceRow> =>
  db.updateTable('plan_prices').set({ stripePriceId }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export async function remove(db: Executor, planId: string, interval: PlanInterval): Promise<void> {
  await db.deleteFrom('plan_prices').where('planId', '=', planId).where('interval', '=', interval).execute();
}

/** The price a plan shows when one is shown: the monthly one when it has one, else the yearly one. */
export function defaultPrice<P extends Pick<PlanPriceRow, 'interval'>>(prices: readonly P[]): P | undefined {
  return prices.find((p) => p.interval === 'month') ?? prices.find((p) => p.interval === 'year');
}
