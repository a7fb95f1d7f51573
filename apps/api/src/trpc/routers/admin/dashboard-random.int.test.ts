import {
  createPlanWithStripePrice,
  DAY_MS,
  expireLapsedSubscriptions,
  getActiveSubscriptionsCard,
  getChurnCard,
  getMrrCard,
  getMrrMovements,
  getMrrSeries,
  getRevenueSeries,
  grantManualSubscription,
  isAppError,
  rebuildMetrics,
  recordManualPayment,
  refundInvoice,
} from '@aquoris/core';
import { snapshotRollups } from '@aquoris/db/testing';
import { describe, expect, it } from 'vitest';
import { settle, subscribe, useStripeCatalog, type Catalog } from '../../../testing/catalog.ts';
import { TEST_ACTOR } from '../../../testing/index.ts';
import { withWebhookFault } from '../../../testing/stripe-events.ts';
import type { StripeTestStack } from '../../../testing/stripe.ts';
import { currentFromScratch, historyFromLog, revenueFromScratch } from './dashboard-scratch.ts';

// Random histories through the real paths (checkouts and plan changes through the emulator, renewals and
// failed charges with its test clock, cancellations, refunds, manual payments, grants, expiry, webhooks
// delivered out of order and twice): every rolled-up figure must equal a recomputation from scratch.
let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const SEED = Number(process.env.METRICS_RANDOM_SEED ?? Date.now() % 100_000);
/** mulberry32: a small seeded generator, so a failing history can be replayed with METRICS_RANDOM_SEED. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

type App = { id: string; slug: string; apiKey: string };
type Person = { app: App; user: string; customerId: string };
const people: Person[] = [];
let n = 0;
const deps = () => stack.api.server.deps;
const nowSeconds = () => Math.floor(stack.clock.now().getTime() / 1000);

/** Each operation may be refused by a rule (a plan change while canceling, a second refund): that is fine, anything else fails the test. */
async function tolerateRefusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    const code = isAppError(error) ? error.code : (error as { appCode?: string }).appCode;
    const status = isAppError(error) ? error.status : (error as { httpStatus?: number }).httpStatus;
    if (!code || !status || status >= 500) throw error;
  }
}

function operations(apps: App[]): Record<string, () => Promise<unknown>> {
  const someone = () => pick(people);
  return {
    async checkout() {
      const app = pick(apps);
      const user = `u${++n}`;
      const sub = await stack.subscriber(app, user);
      people.push({ app, user, customerId: sub.customerId });
      await subscribe(stack, sub, pick(['pro', 'team', 'trial', 'global-year']));
    },
    async changePlan() {
      const p = someone();
      await settle(stack);
      const sub = await stack.subscriber(p.app, p.user);
      const current = (await sub.query('billing.subscription.get')).subscription;
      if (!current || current.status !== 'ACTIVE' || !['pro', 'team'].includes(current.plan.slug)) return;
      await sub.mutate('billing.planChange.confirm', { planSlug: current.plan.slug === 'pro' ? 'team' : 'pro', prorationDate: nowSeconds() });
    },
    async cancelAtPeriodEnd() {
      const p = someone();
      await (await stack.subscriber(p.app, p.user)).mutate('billing.subscription.cancel');
    },
    async renew() {
      const customer = await stack.api.prisma.customer.findUnique({ where: { id: someone().customerId } });
      if (customer?.stripeCustomerId && rand() < 0.4) await stack.control('POST', `/customers/${customer.stripeCustomerId}/fail_next_charge`, { times: 1 });
      await stack.advanceClock(Math.floor((3 + rand() * 25) * 86_400));
    },
    async refund() {
      const paid = await stack.api.prisma.invoice.findMany({ where: { status: 'PAID', amountPaid: { gt: 0 } } });
      const invoice = paid.length ? pick(paid) : null;
      if (!invoice || invoice.amountRefunded >= invoice.amountPaid) return;
      const amount = rand() < 0.5 ? undefined : Math.max(1, Math.floor((invoice.amountPaid - invoice.amountRefunded) / 3));
      await refundInvoice(deps(), TEST_ACTOR, { invoiceId: invoice.id, ...(amount ? { amount } : {}), cancelSubscription: rand() < 0.3 });
    },
    async manualPayment() {
      const p = someone();
      const plan = pick(['pro', 'global-year']);
      await recordManualPayment(deps(), TEST_ACTOR, {
        customerId: p.customerId,
        amount: plan === 'pro' ? '299.00' : '119.00',
        currency: plan === 'pro' ? 'thb' : 'usd',
        paymentMethod: 'bank_transfer',
        reference: `ref-${++n}`,
        planSlug: plan,
        days: 10 + Math.floor(rand() * 30),
        idempotencyKey: `metrics-random-${SEED}-${n}`,
      });
    },
    async grant() {
      const p = someone();
      await grantManualSubscription(deps(), TEST_ACTOR, {
        appSlug: p.app.slug,
        externalUserId: p.user,
        planSlug: pick(['team', 'free']),
        days: 5 + Math.floor(rand() * 20),
      });
    },
    expire: () => expireLapsedSubscriptions(deps()),
  };
}

const monthsBack = (count: number) => {
  const now = stack.clock.now();
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1)));
};
const amounts = (mrr: Record<'thb' | 'usd', number>) => [
  { currency: 'thb', amount: mrr.thb },
  { currency: 'usd', amount: mrr.usd },
];

async function expectRollupsRight(apps: App[]) {
  const prisma = stack.api.prisma;
  const scratch = await currentFromScratch(prisma);
  expect((await getMrrCard(deps(), {})).mrr).toEqual(amounts(scratch.mrr));
  const counts = scratch.counts;
  expect(await getActiveSubscriptionsCard(deps(), {})).toMatchObject({ ...counts, total: counts.active + counts.pastDue + counts.trialing });
  for (const app of apps) expect((await getMrrCard(deps(), { appId: app.id })).mrr).toEqual(amounts((await currentFromScratch(prisma, app.id)).mrr));

  const history = await historyFromLog(prisma);
  expect(history.broken).toEqual([]);
  for (const key of new Set([...history.last.keys(), ...scratch.perCustomer.keys()]))
    expect([key, history.last.get(key) ?? 0]).toEqual([key, scratch.perCustomer.get(key) ?? 0]);

  const series = await getMrrSeries(deps(), {});
  const revenue = await getRevenueSeries(deps(), {});
  for (const start of monthsBack(4)) {
    const month = start.toISOString().slice(0, 7);
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    expect([month, series.months.find((m) => m.month === month)?.mrr]).toEqual([month, amounts(history.mrrBefore(end))]);
    const expected = await revenueFromScratch(prisma, start, end);
    const got = revenue.months.find((m) => m.month === month)!.revenue;
    expect([month, got]).toEqual([
      month,
      (['thb', 'usd'] as const).map((c) => ({ currency: c, ...expected[c], net: expected[c].gross - expected[c].refunds })),
    ]);
    for (const m of (await getMrrMovements(deps(), { month })).movements) {
      expect(m.starting).toBe(history.mrrBefore(start)[m.currency]);
      expect(m.ending).toBe(m.starting + m.new + m.expansion - m.contraction - m.churned + m.reactivation);
      expect(m.ending).toBe(history.mrrBefore(end)[m.currency]);
    }
  }
  const churn = await getChurnCard(deps(), {});
  const windowStart = new Date(churn.windowStart);
  expect(churn).toMatchObject(history.churn(windowStart, new Date(windowStart.getTime() + 30 * DAY_MS)));

  // The set-based rebuild over the same base rows writes exactly what the incremental path wrote: every rollup table.
  const before = await snapshotRollups(deps().db.kysely);
  expect(await rebuildMetrics(deps(), TEST_ACTOR)).toMatchObject({ changedCustomers: 0 });
  expect(await snapshotRollups(deps().db.kysely)).toEqual(before);
}

describe(`Dashboard rollups on a random history (METRICS_RANDOM_SEED=${SEED})`, () => {
  it('equal a recomputation from scratch, midway and at the end', { timeout: 600_000 }, async () => {
    await createPlanWithStripePrice(deps(), TEST_ACTOR, { slug: 'global-year', name: 'Global yearly', priceAmount: 11_900, currency: 'usd', interval: 'year' });
    const apps: App[] = [catalog.app, await stack.api.createApp({ slug: 'second-app', name: 'Second' })];
    const ops = operations(apps);
    for (let i = 0; i < 3; i++) await ops.checkout!();
    const weighted = ['checkout', 'checkout', 'changePlan', 'cancelAtPeriodEnd', 'renew', 'renew', 'refund', 'manualPayment', 'grant', 'expire'];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 18; i++) {
        const name = pick(weighted);
        const fault =
          rand() < 0.3
            ? pick([
                { mode: 'reorder', batchSize: 4, windowMs: 300 },
                { mode: 'duplicate', count: 2, concurrent: true },
              ])
            : null;
        await (fault ? withWebhookFault(stack, fault, () => tolerateRefusal(ops[name]!)) : tolerateRefusal(ops[name]!));
      }
      await settle(stack);
      await expectRollupsRight(apps);
    }
  });
});
