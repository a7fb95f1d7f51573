import { customers, invoices, subscriptions } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { createPlan } from '../plans/service.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { createTestApp, TEST_OPERATOR } from '../testing/factories.ts';
import { payInvoice, startSubscription } from '../testing/metrics.ts';
import { recordCustomerMetrics, recordInvoiceRevenue } from './record.ts';

// Two applies that write an app's rollup rows at once, in opposite orders: an invoice job whose subscription moved
// (its subscription's change adds to today's rows, then its invoice's revenue to the day it was paid) beside an
// invoice job that only records revenue of an earlier day of the month (that day's row, then the month's). Each used to lock
// one row and wait for the other's: PostgreSQL failed one with a deadlock (40P01). Every rollup write now takes
// the app's rollup lock first, so they run one after the other and both commit.

const deps = useCoreDeps('2026-06-01T08:00:00.000Z');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rollup writes of two applies at once', () => {
  it('take one lock order: both commit, no deadlock', async () => {
    const d = deps();
    const { app } = await createTestApp(d, 'rollup-order');
    const plan = await createPlan(d, TEST_OPERATOR, {
      slug: 'ro',
      name: 'RO',
      priceAmount: 1000,
      currency: 'thb',
      interval: 'month',
      stripePriceId: 'price_ro',
      active: true,
    });
    const owner = async (user: string) => ({ appId: app.id, customerId: (await customers.upsert(d.db.kysely, app.id, user, {})).id });
    const sub1 = await startSubscription(d, await owner('one'), plan.id, 'ACTIVE');
    const sub2 = await startSubscription(d, await owner('two'), plan.id, 'ACTIVE');
    // Both invoices were paid on June 1; the applies run on June 2 (one month: one monthly row).
    d.clock.set('2026-06-01T10:00:00.000Z');
    const invoice1 = await payInvoice(d, sub1, 1000, 'thb');
    const invoice2 = await payInvoice(d, sub2, 1000, 'thb');
    d.clock.set('2026-06-02T10:00:00.000Z');
    const now = d.clock.now();

    let firstWrote: () => void = () => {};
    const firstHoldsToday = new Promise<void>((resolve) => (firstWrote = resolve));
    // The first: sub1 moves (today's rows), then, once the second is under way, invoice1's revenue (June 1's row).
    const first = d.db.transaction(async (tx) => {
      const moved = await subscriptions.update(tx, sub1.id, { status: 'PAST_DUE' });
      await recordCustomerMetrics(tx, moved, now);
      firstWrote();
      await pause(400);
      await invoices.update(tx, invoice1.id, { amountPaid: 900 });
      await recordInvoiceRevenue(tx, invoice1);
    });
    // The second: invoice2's revenue only (June 1's row, then the month's, which the first holds).
    const second = firstHoldsToday.then(() =>
      d.db.transaction(async (tx) => {
        await invoices.update(tx, invoice2.id, { amountPaid: 800 });
        await recordInvoiceRevenue(tx, invoice2);
      }),
    );
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => (r.status === 'rejected' ? String((r.reason as Error).message) : 'committed'))).toEqual(['committed', 'committed']);
  }, 30_000);
});
