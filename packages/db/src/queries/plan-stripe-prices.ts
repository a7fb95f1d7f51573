import type { Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { PlanInterval, PlanStripePrice, StripeMode } from '../kysely/types.ts';

export type PlanStripePriceRow = Selectable<PlanStripePrice>;

export interface PlanPriceKey {
  appId: string;
  mode: StripeMode;
  planId: string;
  interval: PlanInterval;
}

export const find = (db: Executor, key: PlanPriceKey): Promise<PlanStripePriceRow | undefined> =>
  db
    .selectFrom('plan_stripe_prices')
    .selectAll()
    .where('appId', '=', key.appId)
    .where('mode', '=', key.mode)
    .where('planId', '=', key.planId)
    .where('interval', '=', key.interval)
    .executeTakeFirst();

export const listForApp = (db: Executor, appId: string): Promise<PlanStripePriceRow[]> =>
  db.selectFrom('plan_stripe_prices').selectAll().where('appId', '=', appId).orderBy('mode').orderBy('planId').orderBy('interval').execute();

/** One price per (app, mode, plan, interval): a second save replaces the price id (the unique key). */
export const upsert = (db: Executor, key: PlanPriceKey, stripePriceId: string): Promise<PlanStripePriceRow> =>
  db
    .insertInto('plan_stripe_prices')
    .values({ id: newId(), ...key, stripePriceId })
    .onConflict((oc) => oc.columns(['appId', 'mode', 'planId', 'interval']).doUpdateSet({ stripePriceId }))
    .returningAll()
    .executeTakeFirstOrThrow();

/** The mapping a Stripe price id belongs to (a subscription read from an app's own account names only its price). */
export const findByStripePriceId = (db: Executor, stripePriceId: string): Promise<PlanStripePriceRow | undefined> =>
  db.selectFrom('plan_stripe_prices').selectAll().where('stripePriceId', '=', stripePriceId).limit(1).executeTakeFirst();
