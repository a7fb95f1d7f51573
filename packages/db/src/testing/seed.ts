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
  await sql`INSERT INTO subscriptions (id, "appId", "customerId", "planId", "billingInterval", status, source, kind, "currentPeriodStart", "currentPeriodEnd", "cancelAtPeriodEnd")
            SELECT 'bs_' || g, ${appId}, 'bc_' || g, p.id, p.interval,
              (CASE WHEN g % 10 < 7 THEN 'ACTIVE' WHEN g % 10 = 7 THEN 'TRIALING' WHEN g % 10 = 8 THEN 'PAST_DUE' ELSE 'CANCELED' END)::"SubscriptionStatus",
              (CASE WHEN g % 20 = 0 THEN 'MANUAL' ELSE 'CHECKOUT' END)::"SubscriptionSource", 'BASE',
              now() - interval '10 days', now() + (CASE WHEN g % 40 = 0 THEN interval '-1 day' ELSE interval '20 days' END), g % 11 = 0
            FROM generate_series(2, ${count}::int, 2) g JOIN plans p ON p.id = CASE WHEN g % 3 = 0 THEN ${second} ELSE ${first} END`.execute(db);
  await sql`ANALYZE`.execute(db);
}

/**
 * Bulk rows for bench:admin-lists: 4 apps (app-1 holds half the customers), 4 plans, one customer
 * per four subscriptions, `subscriptions` subscriptions one second apart (newest last) in a live
 * service's mix of statuses, and `auditEntries` audit entries. Then VACUUM ANALYZE: the planner sees
 * the volume and index-only counts find the visibility map set.
 */
export async function seedAdminLists(db: Executor, input: { subscriptions: number; auditEntries: number }): Promise<void> {
  const count = input.subscriptions;
  await sql`INSERT INTO apps (id, slug, name, "returnUrl", "apiKeyHash", "apiKeyPrefix", "apiKeyCiphertext")
            SELECT 'ba_' || g, 'app-' || g, 'App ' || g, 'https://app' || g || '.example.com/', md5('k' || g) || md5('h' || g), 'aqb_' || g, 'x'
            FROM generate_series(1, 4) g`.execute(db);
  await sql`INSERT INTO plans (id, slug, name, "priceAmount", currency, interval)
            SELECT 'bp_' || g, 'plan-' || g, 'Plan ' || g, 10000 * g, 'thb', 'month' FROM generate_series(1, 4) g`.execute(db);
  // One customer per four subscriptions; app-1 holds half of them, the others a sixth each.
  const customers = Math.ceil(count / 4);
  await sql`INSERT INTO customers (id, "appId", "externalUserId", email, name, "createdAt")
            SELECT 'bc_' || g, 'ba_' || (CASE WHEN g % 6 < 3 THEN 1 ELSE g % 6 - 1 END), 'user_' || g, 'user' || g || '@example.com', 'User ' || g,
              now() - (${customers}::int - g) * interval '1 second'
            FROM generate_series(1, ${customers}::int) g`.execute(db);
  // Statuses as a live service has them: mostly ACTIVE and CANCELED, a few of each other one. Newest last.
  await sql`INSERT INTO subscriptions (id, "appId", "customerId", "planId", "billingInterval", status, source, kind, "currentPeriodStart", "currentPeriodEnd", "createdAt", "stripeSubscriptionId")
            SELECT 'bs_' || g, 'ba_' || (CASE WHEN c % 6 < 3 THEN 1 ELSE c % 6 - 1 END), 'bc_' || c, 'bp_' || (1 + g % 4), 'month',
              (CASE WHEN g % 20 < 11 THEN 'ACTIVE' WHEN g % 20 < 17 THEN 'CANCELED' WHEN g % 20 = 17 THEN 'TRIALING'
                    WHEN g % 20 = 18 THEN 'PAST_DUE' WHEN g % 40 = 19 THEN 'EXPIRED' ELSE 'UNPAID' END)::"SubscriptionStatus",
              (CASE WHEN g % 10 = 0 THEN 'MANUAL' ELSE 'CHECKOUT' END)::"SubscriptionSource", 'BASE',
              now() - (g % 30) * interval '1 day', now() + (30 - g % 30) * interval '1 day' + g * interval '1 millisecond',
              now() - (${count}::int - g) * interval '1 second', CASE WHEN g % 10 = 0 THEN NULL ELSE 'sub_bench_' || g END
            FROM (SELECT g, 1 + (g - 1) / 4 AS c FROM generate_series(1, ${count}::int) g) s`.execute(db);
  await sql`INSERT INTO audit_logs (id, "actorType", "actorId", action, "targetType", "targetId", details, "createdAt")
            SELECT 'bl_' || g, (CASE WHEN g % 10 = 0 THEN 'ADMIN' WHEN g % 10 < 4 THEN 'STRIPE' ELSE 'SYSTEM' END)::"ActorType", 'actor', 
              (CASE WHEN g % 3 = 0 THEN 'subscription.extended' ELSE 'subscription.synced' END), 'subscription', 'bs_' || g, '{}',
              now() - (${input.auditEntries}::int - g) * interval '1 second'
            FROM generate_series(1, ${input.auditEntries}::int) g`.execute(db);
  await sql`VACUUM ANALYZE`.execute(db);
}
