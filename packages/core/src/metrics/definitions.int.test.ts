import { customers, planPrices } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { createPlan } from '../plans/service.ts';
import { grantManualSubscription } from '../subscriptions/service.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { createTestApp, TEST_OPERATOR } from '../testing/factories.ts';
import { changeSubscription, payInvoice, refundAt, startSubscription } from '../testing/metrics.ts';
import { rebuildMetrics } from './rebuild.ts';
import {
  getActiveSubscriptionsCard,
  getChurnCard,
  getMrrCard,
  getMrrMovements,
  getMrrSeries,
  getRevenueCard,
  getRevenueSeries,
  getSubscriptionFlowSeries,
} from './service.ts';

// A small fixed history, every figure computed by hand from the definitions in docs/metrics.md.
const deps = useCoreDeps('2026-03-05T10:00:00.000Z');

const plan = (slug: string, priceAmount: number, currency: 'thb' | 'usd', interval: 'month' | 'year') =>
  createPlan(deps(), TEST_OPERATOR, { slug, name: slug, priceAmount, currency, interval, stripePriceId: `price_${slug}`, active: true });

async function seedHistory() {
  const d = deps();
  const a = (await createTestApp(d, 'metrics-a')).app;
  const b = (await createTestApp(d, 'metrics-b')).app;
  const m1000 = await plan('m1000', 1000, 'thb', 'month');
  const m3000 = await plan('m3000', 3000, 'thb', 'month');
  const y9900 = await plan('y9900', 9900, 'thb', 'year'); // 825 a month
  const u500 = await plan('u500', 500, 'usd', 'month');
  await createPlan(d, TEST_OPERATOR, { slug: 'free', name: 'Free', priceAmount: 0, currency: 'thb', interval: 'month', active: true });
  const owner = async (appId: string, user: string) => ({ appId, customerId: (await customers.upsert(d.db.kysely, appId, user, {})).id });
  const [c1, c2, c3] = [await owner(a.id, 'c1'), await owner(a.id, 'c2'), await owner(a.id, 'c3')];
  const c4 = await owner(b.id, 'c4');

  // March 5: c1 monthly, c2 on trial, c3 yearly, c4 in USD (app B), c5 granted the free plan.
  const s1 = await startSubscription(d, c1, m1000.id, 'ACTIVE');
  const s2 = await startSubscription(d, c2, m1000.id, 'TRIALING');
  const s3 = await startSubscription(d, c3, y9900.id, 'ACTIVE');
  const s4 = await startSubscription(d, c4, u500.id, 'ACTIVE');
  await grantManualSubscription(d, TEST_OPERATOR, { appSlug: 'metrics-a', externalUserId: 'c5', planSlug: 'free', days: 365 });
  await payInvoice(d, s1, 1000, 'thb');
  const yearly = await payInvoice(d, s3, 9900, 'thb');
  await payInvoice(d, s4, 500, 'usd');

  // April 10: c2's trial converts and pays; c1 upgrades; c3's renewal fails (PAST_DUE still counts).
  d.clock.set('2026-04-10T09:00:00.000Z');
  await changeSubscription(d, s2.id, { status: 'ACTIVE' });
  await payInvoice(d, s2, 1000, 'thb');
  await changeSubscription(d, s1.id, { planId: m3000.id });
  await changeSubscription(d, s3.id, { status: 'PAST_DUE' });
  // April 20: c1 will cancel at period end (still counts); c4 cancels now (churn).
  d.clock.set('2026-04-20T12:00:00.000Z');
  await changeSubscription(d, s1.id, { cancelAtPeriodEnd: true });
  await changeSubscription(d, s4.id, { status: 'CANCELED', endedAt: d.clock.now() });

  // May 2: part of c3's March invoice refunded (a refund in a later month); c1's period ends; c3 pays again.
  d.clock.set('2026-05-02T08:00:00.000Z');
  await refundAt(d, yearly, 4000);
  await changeSubscription(d, s1.id, { status: 'CANCELED', endedAt: d.clock.now() });
  await changeSubscription(d, s3.id, { status: 'ACTIVE' });
  // May 15: c4 comes back (reactivation); c2 moves to the yearly plan (contraction, 1000 → 825).
  d.clock.set('2026-05-15T08:00:00.000Z');
  await changeSubscription(d, s4.id, { status: 'ACTIVE', endedAt: null });
  await changeSubscription(d, s2.id, { planId: y9900.id });
  d.clock.set('2026-05-20T18:00:00.000Z');
  return { a, b };
}

const money = (thb: number, usd: number) => [
  { currency: 'thb', amount: thb },
  { currency: 'usd', amount: usd },
];

async function expectHandComputed(apps: { a: { id: string }; b: { id: string } }) {
  const d = deps();
  expect(await getMrrCard(d, { month: '2026-03' })).toEqual({ asOf: '2026-03-31T23:59:59.999Z', mrr: money(1825, 500) });
  expect((await getMrrCard(d, { month: '2026-04' })).mrr).toEqual(money(4825, 0));
  expect(await getMrrCard(d, {})).toEqual({ asOf: '2026-05-20T18:00:00.000Z', mrr: money(1650, 500) });
  expect((await getMrrCard(d, { appId: apps.b.id })).mrr).toEqual(money(0, 500));

  expect(await getActiveSubscriptionsCard(d, { month: '2026-03' })).toMatchObject({ total: 5, active: 4, pastDue: 0, trialing: 1 });
  expect(await getActiveSubscriptionsCard(d, { month: '2026-04' })).toMatchObject({ total: 4, active: 3, pastDue: 1, trialing: 0 });
  expect(await getActiveSubscriptionsCard(d, {})).toMatchObject({ total: 4, active: 4, pastDue: 0, trialing: 0 });
  expect(await getActiveSubscriptionsCard(d, { appId: apps.a.id })).toMatchObject({ total: 3, active: 3 });

  // Window April 21 – May 20: paying at its start c1, c2, c3 (c4 churned April 20, just before); c1 churned, c4 came back.
  expect(await getChurnCard(d, {})).toEqual({
    windowStart: '2026-04-21T00:00:00.000Z',
    asOf: '2026-05-20T18:00:00.000Z',
    rate: 0.25,
    churned: 1,
    payingAtStart: 3,
    newPaying: 1,
  });
  expect((await getChurnCard(d, { appId: apps.b.id })).rate).toBe(0);

  const revenue = (thb: [number, number], usd: [number, number]) => [
    { currency: 'thb', gross: thb[0], refunds: thb[1], net: thb[0] - thb[1] },
    { currency: 'usd', gross: usd[0], refunds: usd[1], net: usd[0] - usd[1] },
  ];
  expect(await getRevenueCard(d, { month: '2026-03' })).toEqual({ month: '2026-03', revenue: revenue([10900, 0], [500, 0]) });
  expect((await getRevenueCard(d, { month: '2026-04' })).revenue).toEqual(revenue([1000, 0], [0, 0]));
  expect((await getRevenueCard(d, {})).revenue).toEqual(revenue([0, 4000], [0, 0]));

  const movement = (currency: string, m: Record<string, number>) => ({
    currency,
    starting: 0,
    new: 0,
    expansion: 0,
    contraction: 0,
    churned: 0,
    reactivation: 0,
    ending: 0,
    ...m,
  });
  expect((await getMrrMovements(d, { month: '2026-03' })).movements).toEqual([
    movement('thb', { new: 1825, ending: 1825 }),
    movement('usd', { new: 500, ending: 500 }),
  ]);
  expect((await getMrrMovements(d, { month: '2026-04' })).movements).toEqual([
    movement('thb', { starting: 1825, new: 1000, expansion: 2000, ending: 4825 }),
    movement('usd', { starting: 500, churned: 500 }),
  ]);
  expect((await getMrrMovements(d, {})).movements).toEqual([
    movement('thb', { starting: 4825, contraction: 175, churned: 3000, ending: 1650 }),
    movement('usd', { reactivation: 500, ending: 500 }),
  ]);

  const series = await getMrrSeries(d, {});
  expect(series.months.map((m) => m.month)).toEqual([...Array(12)].map((_, i) => new Date(Date.UTC(2025, 5 + i, 1)).toISOString().slice(0, 7)));
  expect(series.months.slice(-3).map((m) => m.mrr)).toEqual([money(1825, 500), money(4825, 0), money(1650, 500)]);
  expect(series.months[0]!.mrr).toEqual(money(0, 0));
  const flow = await getSubscriptionFlowSeries(d, {});
  expect(flow.months.slice(-3)).toEqual([
    { month: '2026-03', new: 3, churned: 0 },
    { month: '2026-04', new: 1, churned: 1 },
    { month: '2026-05', new: 1, churned: 1 },
  ]);
  const revenueSeries = await getRevenueSeries(d, {});
  expect(revenueSeries.months.slice(-3).map((m) => m.revenue)).toEqual([revenue([10900, 0], [500, 0]), revenue([1000, 0], [0, 0]), revenue([0, 4000], [0, 0])]);
}

describe('Dashboard figures on a fixed history', () => {
  it('match the hand-computed values, kept in the write transactions and again after a rebuild', async () => {
    const apps = await seedHistory();
    await expectHandComputed(apps);
    const first = await rebuildMetrics(deps(), TEST_OPERATOR);
    expect(first).toMatchObject({ customers: 5, changedCustomers: 0, apps: 2 });
    await expectHandComputed(apps);
    expect(await rebuildMetrics(deps(), TEST_OPERATOR)).toEqual(first);
  });

  it('answers every currency and a null churn rate when there is nothing', async () => {
    const d = deps();
    const empty = { appId: 'app_with_nothing', month: '2024-01' };
    expect((await getMrrCard(d, empty)).mrr).toEqual(money(0, 0));
    expect((await getChurnCard(d, empty)).rate).toBeNull();
  });

  it("normalises each subscription by its own price: one plan's monthly and yearly subscribers (yearly / 12)", async () => {
    const d = deps();
    const app = (await createTestApp(d, 'metrics-both')).app;
    const both = await plan('both', 1000, 'thb', 'month');
    await planPrices.upsert(d.db.kysely, both.id, { interval: 'year', amount: 9600, currency: 'thb', stripePriceId: 'price_both_year' }); // 800 a month
    const owner = async (user: string) => ({ appId: app.id, customerId: (await customers.upsert(d.db.kysely, app.id, user, {})).id });
    await startSubscription(d, await owner('monthly'), both.id, 'ACTIVE');
    const yearly = await startSubscription(d, await owner('yearly'), both.id, 'ACTIVE');
    expect((await getMrrCard(d, { appId: app.id })).mrr).toEqual(money(2000, 0));
    await changeSubscription(d, yearly.id, { billingInterval: 'year' });
    expect((await getMrrCard(d, { appId: app.id })).mrr).toEqual(money(1800, 0));
    await rebuildMetrics(d, TEST_OPERATOR);
    expect((await getMrrCard(d, { appId: app.id })).mrr).toEqual(money(1800, 0));
  });
});
