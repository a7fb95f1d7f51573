import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { CheckoutSession } from '../kysely/types.ts';

export type CheckoutSessionRow = Selectable<CheckoutSession>;

/** The customer's newest open session for the plan that has a URL and expires after `expiresAfter` (a double click reuses it). */
export const findReusableOpen = (
  db: Executor,
  customerId: string,
  price: Pick<CheckoutSessionRow, 'planId' | 'billingInterval'>,
  expiresAfter: Date,
): Promise<CheckoutSessionRow | undefined> =>
  db
    .selectFrom('checkout_sessions')
    .selectAll()
    .where('customerId', '=', customerId)
    .where('planId', '=', price.planId)
    .where('billingInterval', '=', price.billingInterval)
    .where('status', '=', 'OPEN')
    .where('url', 'is not', null)
    .where('expiresAt', '>', expiresAfter)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();

/** The customer's other open Stripe sessions still unexpired at `now`. */
export const listOpenWithStripe = (db: Executor, customerId: string, now: Date): Promise<CheckoutSessionRow[]> =>
  db
    .selectFrom('checkout_sessions')
    .selectAll()
    .where('customerId', '=', customerId)
    .where('status', '=', 'OPEN')
    .where('stripeCheckoutSessionId', 'is not', null)
    .where('expiresAt', '>', now)
    .execute();

export async function countForCustomer(db: Executor, customerId: string): Promise<number> {
  const row = await db
    .selectFrom('checkout_sessions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('customerId', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records a Stripe Checkout Session; nothing when its Stripe id is recorded already (a concurrent request got the same session back). */
export const insertUnlessRecorded = (
  db: Executor,
  values: Omit<Insertable<CheckoutSession>, 'id' | 'createdAt' | 'updatedAt'>,
): Promise<CheckoutSessionRow | undefined> =>
  db
    .insertInto('checkout_sessions')
    .values({ id: newId(), ...values })
    .onConflict((oc) => oc.column('stripeCheckoutSessionId').doNothing())
    .returningAll()
    .executeTakeFirst();

export async function markExpired(db: Executor, id: string): Promise<void> {
  await db.updateTable('checkout_sessions').set({ status: 'EXPIRED' }).where('id', '=', id).execute();
}

export const findByStripeId = (db: Executor, stripeCheckoutSessionId: string): Promise<CheckoutSessionRow | undefined> =>
  db.selectFrom('checkout_sessions').selectAll().where('stripeCheckoutSessionId', '=', stripeCheckoutSessionId).executeTakeFirst();

/** One of the customer's own sessions by its Stripe id (another customer's is not found). */
export const findOwnByStripeId = (db: Executor, appId: string, customerId: string, stripeCheckoutSessionId: string) =>
  db
    .selectFrom('checkout_sessions')
    .select(['planId', 'status', 'createdAt'])
    .where('stripeCheckoutSessionId', '=', stripeCheckoutSessionId)
    .where('customerId', '=', customerId)
    .where('appId', '=', appId)
    .executeTakeFirst();

/** An open session Stripe says expired. */
export async function expireOpenByStripeId(db: Executor, stripeCheckoutSessionId: string): Promise<void> {
  await db
    .updateTable('checkout_sessions')
    .set({ status: 'EXPIRED' })
    .where('stripeCheckoutSessionId', '=', stripeCheckoutSessionId)
    .where('status', '=', 'OPEN')
    .execute();
}

export async function completeByStripeId(db: Executor, stripeCheckoutSessionId: string, completedAt: Date): Promise<void> {
  await db
    .updateTable('checkout_sessions')
    .set({ status: 'COMPLETE', completedAt })
    .where('stripeCheckoutSessionId', '=', stripeCheckoutSessionId)
    .where('status', '<>', 'COMPLETE')
    .execute();
}
