import { sql } from 'kysely';
import type { Executor } from '../client.ts';

/**
 * Bulk rows for load tests (bench:eligibility): `count` customers of the app.
 * Half of them (the even ones) have one base subscription, mostly ACTIVE, some
 * TRIALING, PAST_DUE, CANCELED, and lapsed manual ones, a third on
 * `planIds[1]`; the odd ones have none. Then ANALYZE, so the planner sees the volume.
 */
export async function seedSubscribedCustomers(db: Executor, input: { appId: string; planIds: [string, string]; count: number }): Promise<void> {
  const { appId, count } = input;
  const [first, second] = input.planIds;
  await sql`INSERT INTO customers (id, "appId", "externalUserId", email)
            SELECT 'bc_' || g, ${appId}, 'user_' || g, 'user' || g || '@example.com' FROM generate_series(1, ${count}::int) g`.execute(db);
  await sql`INSERT INTO subscriptions (id, "appId", "customerId", "planId", status, source, kind, "currentPeriodStart", "currentPeriodEnd", "cancelAtPeriodEnd")
            SELECT 'bs_' || g, ${appId}, 'bc_' || g, CASE WHEN g % 3 = 0 THEN ${second} ELSE ${first} END,
              (CASE WHEN g % 10 < 7 THEN 'ACTIVE' WHEN g % 10 = 7 THEN 'TRIALING' WHEN g % 10 = 8 THEN 'PAST_DUE' ELSE 'CANCELED' END)::"SubscriptionStatus",
              (CASE WHEN g % 20 = 0 THEN 'MANUAL' ELSE 'CHECKOUT' END)::"SubscriptionSource", 'BASE',
              now() - interval '10 days', now() + (CASE WHEN g % 40 = 0 THEN interval '-1 day' ELSE interval '20 days' END), g % 11 = 0
            FROM generate_series(2, ${count}::int, 2) g`.execute(db);
  await sql`ANALYZE`.execute(db);
}
