import { createApp, createPlan, grantManualSubscription, MrrCard, DASHBOARD_STATS } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../env.ts';
import { signedInAdmin, callAdmin, type TestAdmin } from '../../../testing/admin.ts';
import { startTestApi, TEST_ACTOR, type TestApi } from '../../../testing/index.ts';

// admin.dashboard.*: admin only, the filter in, each figure with its own server timeout. The server here
// times a figure out after 1 s, and the test hook slows the churn figure past it.
let api: TestApi;
let admin: TestAdmin;
beforeAll(async () => {
  api = await startTestApi({ env: { DASHBOARD_STAT_TIMEOUT_MS: '1000', DASHBOARD_TEST_DELAY_MS_CHURN: '5000' } });
  admin = await signedInAdmin(api);
  const deps = api.server.deps;
  await createApp(deps, TEST_ACTOR, { slug: 'dash', name: 'Dash', returnUrl: 'https://dash.example.com/' });
  await createPlan(deps, TEST_ACTOR, {
    slug: 'dash-year',
    name: 'Yearly',
    priceAmount: 120_000,
    currency: 'usd',
    interval: 'year',
    stripePriceId: 'price_dash_year',
  });
  for (const user of ['u1', 'u2']) await grantManualSubscription(deps, TEST_ACTOR, { appSlug: 'dash', externalUserId: user, planSlug: 'dash-year', days: 30 });
});
afterAll(() => api?.close());

const path = (stat: string) => `admin.dashboard.${stat}`;

describe('admin.dashboard', () => {
  it('answers 401 UNAUTHORIZED to every figure without an admin session', async () => {
    for (const stat of DASHBOARD_STATS) {
      const res = await callAdmin(api, 'query', path(stat), {});
      expect([stat, res.status, res.error?.data.appCode]).toEqual([stat, 401, 'UNAUTHORIZED']);
    }
  });

  it('answers each figure by its schema: two manual yearly grants are 2 × 120000 ÷ 12 of USD MRR', async () => {
    const mrr = await admin.query(path('mrr'), {});
    expect(mrr.status).toBe(200);
    expect(MrrCard.parse(mrr.data).mrr).toEqual([
      { currency: 'thb', amount: 0 },
      { currency: 'usd', amount: 20_000 },
    ]);
    expect((await admin.query(path('active'), {})).data).toMatchObject({ total: 2, active: 2, pastDue: 0, trialing: 0 });
    const month = new Date().toISOString().slice(0, 7);
    for (const stat of ['revenue', 'mrrSeries', 'subscriptionFlow', 'revenueSeries', 'movements']) {
      const res = await admin.query(path(stat), { month });
      expect([stat, res.status]).toEqual([stat, 200]);
    }
    const movements = await admin.query(path('movements'), { month });
    expect(movements.data.movements[1]).toMatchObject({ currency: 'usd', starting: 0, new: 20_000, ending: 20_000 });
    const series = await admin.query(path('mrrSeries'), {});
    expect(series.data.months).toHaveLength(12);
    expect(series.data.months.at(-1)).toEqual({ month, mrr: mrr.data.mrr });
  });

  it('filters by app: an app with nothing answers zeros', async () => {
    const other = await createApp(api.server.deps, TEST_ACTOR, { slug: 'dash-empty', name: 'Empty', returnUrl: 'https://empty.example.com/' });
    const res = await admin.query(path('mrr'), { appId: other.app.id });
    expect(res.data.mrr).toEqual([
      { currency: 'thb', amount: 0 },
      { currency: 'usd', amount: 0 },
    ]);
  });

  it('refuses a malformed month with 422 VALIDATION_ERROR', async () => {
    const res = await admin.query(path('mrr'), { month: '2026-13' });
    expect([res.status, res.error?.data.appCode]).toEqual([422, 'VALIDATION_ERROR']);
  });

  it('times out the slowed figure alone: 504 METRIC_TIMEOUT on churn while the others answer', async () => {
    const started = Date.now();
    const [churn, mrr] = await Promise.all([admin.query(path('churn'), {}), admin.query(path('mrr'), {})]);
    expect([churn.status, churn.error?.data.appCode]).toEqual([504, 'METRIC_TIMEOUT']);
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(mrr.status).toBe(200);
    // The connection the timed-out figure used is fine for the next one.
    expect((await admin.query(path('active'), {})).status).toBe(200);
  });

  it('the test hook is refused in production', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://x@127.0.0.1/x',
      SESSION_SECRET: 'a'.repeat(32),
      ADMIN_SESSION_SECRET: 'b'.repeat(32),
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      API_KEY_ENCRYPTION_SECRET: 'c'.repeat(32),
      STRIPE_CONFIG_ENCRYPTION_KEY: 'd'.repeat(32),
    };
    expect(parseEnv(production).dashboard).toEqual({ timeoutMs: 10_000 });
    expect(() => parseEnv({ ...production, DASHBOARD_TEST_DELAY_MS_MRR_SERIES: '100' })).toThrow(/DASHBOARD_TEST_DELAY_MS_MRR_SERIES is a test hook/);
  });
});
