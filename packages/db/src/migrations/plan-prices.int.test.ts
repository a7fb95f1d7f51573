import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_URL, dropDatabase, withDatabase } from '../testing/index.ts';

const MIGRATION = '20261207101000_plan_prices';
const migrationsDir = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
const name = `aquoris_mig_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
let client: pg.Client;

const sqlOf = (dir: string) => readFile(`${migrationsDir}/${dir}/migration.sql`, 'utf8');

/** The database as it was before plan_prices, with old-shaped rows: each plan has one price, on the plan row. */
beforeAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  client = new pg.Client({ connectionString: withDatabase(adminUrl, name) });
  await client.connect();
  const earlier = (await readdir(migrationsDir)).filter((d) => /^\d{14}_/.test(d) && d < MIGRATION).sort();
  for (const dir of earlier) await client.query(await sqlOf(dir));
  await client.query(`
    INSERT INTO apps (id, slug, name, "returnUrl", "apiKeyHash", "apiKeyPrefix", "apiKeyCiphertext", "updatedAt")
      VALUES ('app1', 'vega', 'Vega', 'https://vega.example.com/', repeat('a', 64), 'aqb_x', 'x', now());
    INSERT INTO plans (id, slug, name, "priceAmount", currency, interval, "stripePriceId", "stripeProductId", "createdAt", "updatedAt") VALUES
      ('free', 'free', 'Free', 0, 'thb', 'month', NULL, NULL, '2026-01-01', '2026-01-02'),
      ('pro', 'pro', 'PRO', 29900, 'thb', 'month', 'price_pro_m', 'prod_pro', '2026-01-01', '2026-01-03'),
      ('team', 'team', 'Team', 999000, 'usd', 'year', 'price_team_y', 'prod_team', '2026-01-01', '2026-01-04');
    INSERT INTO customers (id, "appId", "externalUserId", "updatedAt") VALUES ('c1', 'app1', 'u1', now()), ('c2', 'app1', 'u2', now());
    INSERT INTO subscriptions (id, "appId", "customerId", "planId", status, source, kind, "currentPeriodStart", "currentPeriodEnd", "updatedAt") VALUES
      ('s1', 'app1', 'c1', 'pro', 'ACTIVE', 'CHECKOUT', 'BASE', '2026-01-01', '2026-02-01', now()),
      ('s2', 'app1', 'c2', 'team', 'ACTIVE', 'CHECKOUT', 'BASE', '2026-01-01', '2027-01-01', now());
    INSERT INTO checkout_sessions (id, "appId", "customerId", "planId", "expiresAt", "updatedAt") VALUES ('cs1', 'app1', 'c2', 'team', now(), now());
  `);
  await client.query(await sqlOf(MIGRATION));
}, 60_000);

afterAll(async () => {
  await client?.end();
  await dropDatabase(adminUrl, name);
});

describe(`migration ${MIGRATION} on old-shaped rows`, () => {
  it("makes each plan's one price its price for its interval, Stripe price and times kept", async () => {
    const { rows } = await client.query(
      `SELECT "planId", interval, amount, currency, "stripePriceId", "createdAt", "updatedAt" FROM plan_prices ORDER BY "planId"`,
    );
    expect(rows).toEqual([
      {
        planId: 'free',
        interval: 'month',
        amount: 0,
        currency: 'thb',
        stripePriceId: null,
        createdAt: new Date('2026-01-01'),
        updatedAt: new Date('2026-01-02'),
      },
      {
        planId: 'pro',
        interval: 'month',
        amount: 29900,
        currency: 'thb',
        stripePriceId: 'price_pro_m',
        createdAt: new Date('2026-01-01'),
        updatedAt: new Date('2026-01-03'),
      },
      {
        planId: 'team',
        interval: 'year',
        amount: 999000,
        currency: 'usd',
        stripePriceId: 'price_team_y',
        createdAt: new Date('2026-01-01'),
        updatedAt: new Date('2026-01-04'),
      },
    ]);
  });

  it("keeps the plans' own price columns, and puts every subscription and checkout session on its plan's interval", async () => {
    const plans = await client.query(`SELECT id, "priceAmount", interval, "stripePriceId" FROM plans ORDER BY id`);
    expect(plans.rows.map((p) => [p.id, p.priceAmount, p.interval, p.stripePriceId])).toEqual([
      ['free', 0, 'month', null],
      ['pro', 29900, 'month', 'price_pro_m'],
      ['team', 999000, 'year', 'price_team_y'],
    ]);
    const subs = await client.query(`SELECT id, "billingInterval" FROM subscriptions ORDER BY id`);
    expect(subs.rows).toEqual([
      { id: 's1', billingInterval: 'month' },
      { id: 's2', billingInterval: 'year' },
    ]);
    expect((await client.query(`SELECT "billingInterval" FROM checkout_sessions`)).rows).toEqual([{ billingInterval: 'year' }]);
  });

  it('holds one price per plan and interval, and a Stripe price on one plan price only', async () => {
    await expect(client.query(`INSERT INTO plan_prices (id, "planId", interval, amount, currency) VALUES ('x1', 'pro', 'month', 1, 'thb')`)).rejects.toThrow(
      /plan_prices_planId_interval_key/,
    );
    await expect(
      client.query(
        `INSERT INTO plan_prices (id, "planId", interval, amount, currency, "stripePriceId") VALUES ('x2', 'pro', 'year', 1, 'thb', 'price_team_y')`,
      ),
    ).rejects.toThrow(/plan_prices_stripePriceId_key/);
  });

  it("keeps the plan's price columns and its default price in step, whichever is written", async () => {
    await client.query(
      `INSERT INTO plans (id, slug, name, "priceAmount", currency, interval, "updatedAt") VALUES ('new', 'new', 'New', 500, 'thb', 'year', now())`,
    );
    const price = (planId: string) =>
      client.query(`SELECT interval, amount, "stripePriceId" FROM plan_prices WHERE "planId" = $1 ORDER BY interval`, [planId]).then((r) => r.rows);
    expect(await price('new')).toEqual([{ interval: 'year', amount: 500, stripePriceId: null }]);
    // A monthly price becomes the default: the plan's columns show it.
    await client.query(
      `INSERT INTO plan_prices (id, "planId", interval, amount, currency, "stripePriceId") VALUES ('m', 'new', 'month', 50, 'thb', 'price_new_m')`,
    );
    const plan = () => client.query(`SELECT "priceAmount", interval, "stripePriceId" FROM plans WHERE id = 'new'`).then((r) => r.rows[0]);
    expect(await plan()).toEqual({ priceAmount: 50, interval: 'month', stripePriceId: 'price_new_m' });
    // A writer of the plan's columns writes its default price.
    await client.query(`UPDATE plans SET "stripePriceId" = 'price_new_m2' WHERE id = 'new'`);
    expect(await price('new')).toEqual([
      { interval: 'month', amount: 50, stripePriceId: 'price_new_m2' },
      { interval: 'year', amount: 500, stripePriceId: null },
    ]);
    await client.query(`DELETE FROM plan_prices WHERE id = 'm'`);
    expect(await plan()).toEqual({ priceAmount: 500, interval: 'year', stripePriceId: null });
  });
});
