import { sql } from 'kysely';
import type { Executor, Tx } from '../client.ts';

// metrics:rebuild, set-based (docs/metrics.md): one app at a time, in one transaction under the app's exclusive
// metrics lock (metrics-log.ts lockAppExclusive), each step one INSERT … SELECT with GROUP BY over the app's
// rows. The rules are those of packages/core/src/metrics/definitions.ts and changes.ts, written here in SQL:
// rebuild.int.test.ts checks that both give the same rows.

/** The app's customers: the rebuild's progress figure. */
export async function countAppCustomers(db: Executor, appId: string): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('appId', '=', appId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Brings the app's customers' stored figures (metrics_customers) to what their subscriptions say now, appending
 * the differences to mrr_events as of `at` (a customer the log has never seen: as of its oldest current
 * subscription's creation, so a bulk import gets a history). Returns the customers that changed. The caller
 * holds the app's exclusive metrics lock, so no change of the app is under way.
 *
 * Per customer and currency: MRR = the monthly amount (yearly ÷ 12, rounded) of ACTIVE and PAST_DUE
 * subscriptions; counts of ACTIVE, PAST_DUE, TRIALING. The movement is NEW/REACTIVATION (from 0, by everPaid),
 * CHURN (to 0), EXPANSION or CONTRACTION; the subscriber's change (all currencies together) goes on the first
 * currency, in `currencies` order, whose MRR moved.
 */
export async function reconcileAppCustomers(tx: Tx, appId: string, at: Date, currencies: readonly string[]): Promise<number> {
  await sql`
    CREATE TEMP TABLE metrics_rebuild_diff ON COMMIT DROP AS
    WITH cur AS (
      SELECT s."customerId", p.currency,
        sum(CASE WHEN s.status IN ('ACTIVE', 'PAST_DUE')
                 THEN CASE WHEN p.interval = 'year' THEN round(p.amount / 12.0) ELSE p.amount END ELSE 0 END)::int AS mrr,
        (count(*) FILTER (WHERE s.status = 'ACTIVE'))::int AS active,
        (count(*) FILTER (WHERE s.status = 'PAST_DUE'))::int AS "pastDue",
        (count(*) FILTER (WHERE s.status = 'TRIALING'))::int AS trialing,
        min(s."createdAt") AS "firstAt"
      FROM customers c
      JOIN subscriptions s ON s."customerId" = c.id
      -- The price the subscription is on (its plan's price at its billingInterval; the plan's default price if
      -- that one was removed), as listSubscriptionFigures reads it for the incremental path.
      CROSS JOIN LATERAL (
        SELECT coalesce(pp.amount, pl."priceAmount") AS amount, coalesce(pp.interval, pl.interval) AS interval,
               coalesce(pp.currency, pl.currency) AS currency
        FROM plans pl LEFT JOIN plan_prices pp ON pp."planId" = pl.id AND pp.interval = s."billingInterval"
        WHERE pl.id = s."planId"
      ) p
      WHERE c."appId" = ${appId} AND s.status IN ('ACTIVE', 'PAST_DUE', 'TRIALING')
      GROUP BY s."customerId", p.currency
    ),
    stored AS (
      SELECT m.* FROM metrics_customers m WHERE m."appId" = ${appId}
    ),
    pairs AS (
      SELECT coalesce(cur."customerId", st."customerId") AS "customerId", coalesce(cur.currency, st.currency) AS currency,
        st."customerId" IS NOT NULL AS "hadState",
        coalesce(st.mrr, 0) AS "wasMrr", coalesce(st.active, 0) AS "wasActive", coalesce(st."pastDue", 0) AS "wasPastDue",
        coalesce(st.trialing, 0) AS "wasTrialing", coalesce(st."everPaid", false) AS "wasEverPaid",
        coalesce(cur.mrr, 0) AS mrr, coalesce(cur.active, 0) AS active, coalesce(cur."pastDue", 0) AS "pastDue",
        coalesce(cur.trialing, 0) AS trialing, cur."firstAt"
      FROM cur FULL JOIN stored st ON st."customerId" = cur."customerId" AND st.currency = cur.currency
    ),
    customer AS (
      SELECT *,
        sum("wasMrr") OVER w > 0 AS "payingBefore", sum(mrr) OVER w > 0 AS "payingAfter", bool_or("wasEverPaid") OVER w AS "everPaidAny",
        bool_or("hadState") OVER w AS "customerHadState", min("firstAt") OVER w AS "customerFirstAt",
        CASE WHEN "wasMrr" = mrr THEN NULL
             WHEN "wasMrr" = 0 THEN CASE WHEN "wasEverPaid" THEN 'REACTIVATION' ELSE 'NEW' END
             WHEN mrr = 0 THEN 'CHURN'
             WHEN mrr > "wasMrr" THEN 'EXPANSION' ELSE 'CONTRACTION' END AS kind
      FROM pairs
      WINDOW w AS (PARTITION BY "customerId")
    ),
    moved AS (
      SELECT *, row_number() OVER (PARTITION BY "customerId" ORDER BY kind IS NULL, array_position(${currencies}::text[], currency::text)) AS "moveOrder"
      FROM customer
      WHERE kind IS NOT NULL OR active <> "wasActive" OR "pastDue" <> "wasPastDue" OR trialing <> "wasTrialing"
    )
    SELECT "customerId", currency, "wasMrr", mrr, active, "pastDue", trialing, active - "wasActive" AS "activeDelta",
      "pastDue" - "wasPastDue" AS "pastDueDelta", trialing - "wasTrialing" AS "trialingDelta", kind::"MrrMovementKind" AS kind,
      "wasEverPaid" OR mrr > 0 AS "everPaid",
      CASE WHEN kind IS NOT NULL AND "moveOrder" = 1 AND "payingBefore" <> "payingAfter"
           THEN CASE WHEN NOT "payingAfter" THEN 'CHURNED' WHEN "everPaidAny" THEN 'REACTIVATED' ELSE 'NEW' END
      END::"SubscriberChange" AS "subscriberChange",
      CASE WHEN NOT "customerHadState" AND "customerFirstAt" < ${at} THEN "customerFirstAt" ELSE ${at}::timestamptz END AS "occurredAt",
      array_position(${currencies}::text[], currency::text) AS "currencyOrder"
    FROM moved`.execute(tx);
  await sql`
    INSERT INTO mrr_events ("appId", "customerId", currency, "occurredAt", "mrrBefore", "mrrAfter", kind, "activeDelta", "pastDueDelta",
      "trialingDelta", "subscriberChange")
    SELECT ${appId}, "customerId", currency, "occurredAt", "wasMrr", mrr, kind, "activeDelta", "pastDueDelta", "trialingDelta", "subscriberChange"
    FROM metrics_rebuild_diff ORDER BY "customerId", "currencyOrder"`.execute(tx);
  await sql`
    INSERT INTO metrics_customers ("customerId", currency, "appId", mrr, active, "pastDue", trialing, "everPaid")
    SELECT "customerId", currency, ${appId}, mrr, active, "pastDue", trialing, "everPaid" FROM metrics_rebuild_diff
    ON CONFLICT ("customerId", currency) DO UPDATE SET mrr = excluded.mrr, active = excluded.active, "pastDue" = excluded."pastDue",
      trialing = excluded.trialing, "everPaid" = excluded."everPaid"`.execute(tx);
  const { rows } = await sql<{ n: string }>`SELECT count(DISTINCT "customerId") AS n FROM metrics_rebuild_diff`.execute(tx);
  await sql`DROP TABLE metrics_rebuild_diff`.execute(tx);
  return Number(rows[0]!.n);
}
