import { sql } from 'kysely';
import type { Executor } from '../client.ts';

export interface DashboardSeedSize {
  subscriptions: number;
  invoices: number;
  /** Apps the rows are spread over (50 in the bench). */
  apps?: number;
  /** The history ends here and reaches 24 months back (now, by default). */
  now?: Date;
}

/** The catalog: THB and USD, monthly and yearly, two tiers each, and a free plan (bp_9). */
const PLANS = [
  ['bp_1', 'thb', 'month', 29_900],
  ['bp_2', 'thb', 'year', 299_000],
  ['bp_3', 'usd', 'month', 999],
  ['bp_4', 'usd', 'year', 9_999],
  ['bp_5', 'thb', 'month', 59_900],
  ['bp_6', 'thb', 'year', 599_000],
  ['bp_7', 'usd', 'month', 1_999],
  ['bp_8', 'usd', 'year', 19_999],
  ['bp_9', 'thb', 'month', 0],
] as const;

const HISTORY_DAYS = 730;

/**
 * Bulk rows for bench:dashboard and the CSV export tests, by INSERT … SELECT generate_series (no row
 * crosses the wire): `apps` apps, the catalog above, one customer per 10/9 subscriptions (so some
 * customers come back), `subscriptions` subscriptions in every status over 24 months of history, and
 * `invoices` invoices (mostly PAID, some OPEN, VOID, UNCOLLECTIBLE, DRAFT; a tenth manual) on those
 * subscriptions, in their plan's currency and price, with a refund on one paid invoice in a hundred
 * (some a month later, a tenth of them failed). Deterministic in the row number, so a given size always
 * gives the same rows. Ends with VACUUM ANALYZE.
 */
export async function seedDashboard(db: Executor, size: DashboardSeedSize): Promise<void> {
  const apps = size.apps ?? 50;
  const now = size.now ?? new Date();
  const subs = size.subscriptions;
  const customers = Math.max(1, Math.ceil((subs * 9) / 10));
  await db.transaction().execute(async (tx) => {
    // Bulk-load settings for this transaction only: the rows are consistent by construction, so foreign keys are not
    // checked row by row (replica role), and each table's secondary indexes are built once, sorted, after its rows.
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(tx);
    await sql`SET LOCAL synchronous_commit = off`.execute(tx);
    await sql`INSERT INTO apps (id, slug, name, "returnUrl", "apiKeyHash", "apiKeyPrefix", "apiKeyCiphertext", "createdAt")
              SELECT 'ba_' || g, 'app-' || g, 'App ' || g, 'https://app' || g || '.example.com/', md5('k' || g) || md5('h' || g), 'aqb_' || g, 'x',
                ${now}::timestamptz - interval '${sql.raw(String(HISTORY_DAYS + 30))} days'
              FROM generate_series(1, ${apps}::int) g`.execute(tx);
    await tx
      .insertInto('plans')
      .values(
        PLANS.map(([id, currency, interval, priceAmount], i) => ({
          id,
          slug: `plan-${i + 1}`,
          name: `${priceAmount === 0 ? 'Free' : `Plan ${i + 1}`} (${currency.toUpperCase()} / ${interval})`,
          priceAmount,
          currency,
          interval,
          stripePriceId: priceAmount === 0 ? null : `price_bench_${i + 1}`,
        })),
      )
      .execute();
    // Customer c belongs to app 1 + c % apps; subscription g to customer 1 + (g - 1) % customers, in that customer's app.
    await withIndexesRebuilt(tx, 'customers', () =>
      sql`INSERT INTO customers (id, "appId", "externalUserId", email, name, "createdAt")
          SELECT 'bc_' || c, 'ba_' || (1 + c % ${apps}::int), 'user_' || c, 'user' || c || '@example.com', 'User ' || c,
            ${now}::timestamptz - interval '${sql.raw(String(HISTORY_DAYS))} days'
          FROM generate_series(1, ${customers}::int) c`.execute(tx),
    );
    await withIndexesRebuilt(tx, 'subscriptions', () => seedSubscriptions(tx, now, subs, customers, apps));
    await withIndexesRebuilt(tx, 'invoices', () => seedInvoices(tx, now, size.invoices, subs, customers, apps));
    await withIndexesRebuilt(tx, 'refunds', () => seedRefunds(tx, now));
  });
  await sql`VACUUM ANALYZE`.execute(db);
}

/** Drops the table's indexes but its primary key, runs `load`, and creates them again as they were (pg_indexes' definitions). */
async function withIndexesRebuilt(tx: Executor, table: string, load: () => Promise<unknown>): Promise<void> {
  const { rows } = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = ${table}
      AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')`.execute(tx);
  for (const index of rows) await sql`DROP INDEX ${sql.id(index.indexname)}`.execute(tx);
  await load();
  for (const index of rows) await sql.raw(index.indexdef).execute(tx);
}

/**
 * Statuses by (g * 37) % 100: 55% ACTIVE, 7% TRIALING, 6% PAST_DUE, 17% CANCELED, 5% EXPIRED, 4% UNPAID,
 * 3% INCOMPLETE, 3% PAUSED. Created up to 730 days ago; ended ones end between their start and now.
 */
async function seedSubscriptions(db: Executor, now: Date, count: number, customers: number, apps: number): Promise<void> {
  await sql`INSERT INTO subscriptions (id, "appId", "customerId", "planId", "billingInterval", status, source, kind, "currentPeriodStart", "currentPeriodEnd",
              "trialEnd", "cancelAtPeriodEnd", "canceledAt", "endedAt", "stripeSubscriptionId", "createdAt")
            SELECT 'bs_' || g, 'ba_' || (1 + c % ${apps}::int), 'bc_' || c, p.id, p.interval, s.status::"SubscriptionStatus",
              (CASE WHEN g % 10 = 0 THEN 'MANUAL' WHEN s.status = 'TRIALING' AND g % 2 = 0 THEN 'TRIAL' ELSE 'CHECKOUT' END)::"SubscriptionSource",
              'BASE', s.period_end - (CASE WHEN p.interval = 'year' THEN interval '1 year' ELSE interval '1 month' END), s.period_end,
              CASE WHEN s.status = 'TRIALING' THEN s.period_end END, s.status = 'ACTIVE' AND g % 13 = 0,
              s.ended_at, s.ended_at,
              CASE WHEN g % 10 <> 0 AND NOT (s.status = 'TRIALING' AND g % 2 = 0) THEN 'sub_bench_' || g END, s.created_at
            FROM (
              SELECT g, c, plan_id, status, created_at, ended,
                CASE WHEN ended THEN created_at + (${now}::timestamptz - created_at) * ((g % 97) / 97.0)
                     ELSE ${now}::timestamptz + (1 + g % 28) * interval '1 day' END AS period_end,
                CASE WHEN ended THEN created_at + (${now}::timestamptz - created_at) * ((g % 97) / 97.0) END AS ended_at
              FROM (
                SELECT g, 1 + (g - 1) % ${customers}::int AS c, 'bp_' || (1 + (g * 7 + g / 11) % 9) AS plan_id, h BETWEEN 68 AND 89 AS ended,
                  (CASE WHEN h < 55 THEN 'ACTIVE' WHEN h < 62 THEN 'TRIALING' WHEN h < 68 THEN 'PAST_DUE' WHEN h < 85 THEN 'CANCELED'
                        WHEN h < 90 THEN 'EXPIRED' WHEN h < 94 THEN 'UNPAID' WHEN h < 97 THEN 'INCOMPLETE' ELSE 'PAUSED' END) AS status,
                  ${now}::timestamptz - ((g * 7919) % ${HISTORY_DAYS}) * interval '1 day' - (g % 86400) * interval '1 second' AS created_at
                FROM (SELECT g, (g * 37) % 100 AS h FROM generate_series(1, ${count}::bigint) g) n
              ) b
            ) s
            JOIN plans p ON p.id = s.plan_id`.execute(db);
}

/** Invoice i is on subscription 1 + (i - 1) % subscriptions, at a time spread over the 730 days. */
async function seedInvoices(db: Executor, now: Date, count: number, subs: number, customers: number, apps: number): Promise<void> {
  await sql`INSERT INTO invoices (id, "appId", "customerId", "subscriptionId", source, status, amount, "amountPaid", "amountRefunded", currency,
              description, "stripeInvoiceId", "periodStart", "periodEnd", "paidAt", "createdAt")
            SELECT 'bi_' || i, 'ba_' || (1 + c % ${apps}::int), 'bc_' || c, 'bs_' || s, (CASE WHEN s % 10 = 0 THEN 'MANUAL' ELSE 'STRIPE' END)::"InvoiceSource",
              st::"InvoiceStatus", p."priceAmount", CASE WHEN st = 'PAID' THEN p."priceAmount" ELSE 0 END,
              CASE WHEN st = 'PAID' AND i % 100 = 0 AND (i / 100) % 10 <> 9 THEN p."priceAmount" / (1 + i % 2) ELSE 0 END,
              p.currency, p.name, CASE WHEN s % 10 <> 0 THEN 'in_bench_' || i END, created_at,
              created_at + (CASE WHEN p.interval = 'year' THEN interval '1 year' ELSE interval '1 month' END),
              CASE WHEN st = 'PAID' THEN created_at + interval '1 hour' END, created_at
            FROM (
              SELECT i, s, 1 + (s - 1) % ${customers}::int AS c, 'bp_' || (1 + (s * 7 + s / 11) % 9) AS plan_id,
                (CASE WHEN i % 100 < 90 THEN 'PAID' WHEN i % 100 < 94 THEN 'OPEN' WHEN i % 100 < 97 THEN 'VOID'
                      WHEN i % 100 < 99 THEN 'UNCOLLECTIBLE' ELSE 'DRAFT' END) AS st,
                ${now}::timestamptz - interval '2 hours' - ((i * 104729) % ${HISTORY_DAYS}) * interval '1 day' - (i % 79000) * interval '1 second' AS created_at
              FROM (SELECT i, 1 + (i - 1) % ${subs}::int AS s FROM generate_series(1, ${count}::bigint) i) n
            ) inv
            JOIN plans p ON p.id = inv.plan_id`.execute(db);
}

/** One paid invoice in a hundred is refunded, in full or half, up to 39 days after payment (never after now); a tenth of those refunds failed. */
async function seedRefunds(db: Executor, now: Date): Promise<void> {
  await sql`INSERT INTO refunds (id, "invoiceId", amount, currency, status, reason, "createdAt")
            SELECT 'br_' || inv.id, inv.id, CASE WHEN inv."amountRefunded" > 0 THEN inv."amountRefunded" ELSE inv.amount END, inv.currency,
              (CASE WHEN inv."amountRefunded" > 0 THEN 'SUCCEEDED' ELSE 'FAILED' END)::"RefundStatus", 'bench',
              LEAST(inv."paidAt" + (substr(inv.id, 4)::int % 40) * interval '1 day', ${now}::timestamptz - interval '1 minute')
            FROM invoices inv
            WHERE inv.status = 'PAID' AND inv.amount > 0 AND substr(inv.id, 4)::int % 100 = 0`.execute(db);
}
