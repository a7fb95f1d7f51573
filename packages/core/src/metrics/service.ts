import { metricsDaily, metricsLog, type Executor } from '@aquoris/db';
import { DAY_MS } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { CURRENCIES, type Currency } from '../money.ts';
import { parseInput } from '../validation.ts';
import { addMonths, displayedAsOf, monthOf, periodOf, startOfUtcDay, type DashboardPeriod } from './periods.ts';
import {
  ActiveSubscriptionsCard,
  ChurnCard,
  DashboardFilter,
  MrrCard,
  MrrMovements,
  MrrSeries,
  RevenueCard,
  RevenueSeries,
  SubscriptionFlowSeries,
} from './schemas.ts';
import { runStat, type DashboardOptions, type DashboardStat } from './stat.ts';

// The Dashboard's figures (docs/metrics.md), each read from the daily rollup: a state at a time (MRR, counts,
// paying subscribers) is the sum of the days before it, a flow the sum of its days. Each runs on its own with
// the server timeout (stat.ts).

type Sums = metricsDaily.DailySums;
type DashboardDeps = Pick<Deps, 'db' | 'clock'>;

/** A currency's sums where it has no rows. */
const ZERO = { currency: 'thb', ...Object.fromEntries(metricsLog.DAILY_SUM_COLUMNS.map((c) => [c, 0])) } as Sums;

const mrrOf = (s: Sums) => s.newMrr + s.expansionMrr - s.contractionMrr - s.churnedMrr + s.reactivationMrr;
const payingOf = (s: Sums) => s.newSubscribers + s.reactivatedSubscribers - s.churnedSubscribers;
const total = (rows: readonly Sums[], of: (s: Sums) => number) => rows.reduce((n, s) => n + of(s), 0);

/** The rows' value per currency, every currency present (0 where it has nothing). */
function perCurrency<T>(rows: readonly Sums[], of: (s: Sums | undefined, currency: Currency) => T): T[] {
  return CURRENCIES.map((currency) =>
    of(
      rows.find((r) => r.currency === currency),
      currency,
    ),
  );
}
const amounts = (rows: readonly Sums[], of: (s: Sums) => number) => perCurrency(rows, (s, currency) => ({ currency, amount: s ? of(s) : 0 }));
const revenueOf = (rows: readonly Sums[]) =>
  perCurrency(rows, (s, currency) => ({ currency, gross: s?.gross ?? 0, refunds: s?.refunds ?? 0, net: (s?.gross ?? 0) - (s?.refunds ?? 0) }));

/** The end of the day `asOf` falls in (the rollup's granularity): a state as of `asOf` sums the days before it. */
const dayBound = (period: DashboardPeriod) =>
  period.asOf.getTime() === period.start.getTime() ? period.start : new Date(startOfUtcDay(new Date(period.asOf.getTime() - 1)).getTime() + DAY_MS);

type Compute<T> = (db: Executor, appId: string | undefined, period: DashboardPeriod) => Promise<T>;

/** One figure: parse the filter, resolve its month by the clock, read it under the timeout. */
function stat<T>(name: DashboardStat, compute: Compute<T>) {
  return (deps: DashboardDeps, raw: DashboardFilter, options: DashboardOptions = {}): Promise<T> => {
    const filter = parseInput(DashboardFilter, raw);
    const period = periodOf(filter.month, deps.clock.now());
    return runStat(deps, name, options, (db) => compute(db, filter.appId, period));
  };
}

export const getMrrCard = stat('mrr', async (db, appId, period): Promise<MrrCard> => {
  const [rows] = await metricsDaily.sumRanges(db, appId, [{ before: dayBound(period) }]);
  return { asOf: displayedAsOf(period), mrr: amounts(rows!, mrrOf) };
});

export const getActiveSubscriptionsCard = stat('active', async (db, appId, period): Promise<ActiveSubscriptionsCard> => {
  const [rows] = await metricsDaily.sumRanges(db, appId, [{ before: dayBound(period) }]);
  const active = total(rows!, (s) => s.activeDelta);
  const pastDue = total(rows!, (s) => s.pastDueDelta);
  const trialing = total(rows!, (s) => s.trialingDelta);
  return { asOf: displayedAsOf(period), total: active + pastDue + trialing, active, pastDue, trialing };
});

/** Churn over the 30 UTC days ending with asOf's day: churned ÷ (paying at the window's start + new paying in it). */
export const getChurnCard = stat('churn', async (db, appId, period): Promise<ChurnCard> => {
  const end = dayBound(period);
  const windowStart = new Date(end.getTime() - 30 * DAY_MS);
  const [atStart, inWindow] = await metricsDaily.sumRanges(db, appId, [{ before: windowStart }, { from: windowStart, before: end }]);
  const payingAtStart = total(atStart!, payingOf);
  const newPaying = total(inWindow!, (s) => s.newSubscribers + s.reactivatedSubscribers);
  const churned = total(inWindow!, (s) => s.churnedSubscribers);
  const base = payingAtStart + newPaying;
  return { windowStart: windowStart.toISOString(), asOf: displayedAsOf(period), rate: base === 0 ? null : churned / base, churned, payingAtStart, newPaying };
});

export const getRevenueCard = stat('revenue', async (db, appId, period): Promise<RevenueCard> => {
  const [rows] = await metricsDaily.sumRanges(db, appId, [{ from: period.start, before: period.end }]);
  return { month: period.month, revenue: revenueOf(rows!) };
});

/** The 12 months ending with the selected one: the sums before the first, and each month's, in one statement. */
async function twelveMonths(db: Executor, appId: string | undefined, period: DashboardPeriod, withBefore = false) {
  const first = addMonths(period.start, -11);
  const starts = Array.from({ length: 12 }, (_, i) => addMonths(first, i));
  const ranges = starts.map((from) => ({ from, before: addMonths(from, 1) }));
  const sums = await metricsDaily.sumRanges(db, appId, withBefore ? [{ before: first }, ...ranges] : ranges);
  const before = withBefore ? sums.shift()! : [];
  const months = starts.map(monthOf);
  const rowsOf = (month: string) => sums[months.indexOf(month)]!;
  return { before, months, rowsOf };
}

export const getMrrSeries = stat('mrrSeries', async (db, appId, period): Promise<MrrSeries> => {
  const { before, months, rowsOf } = await twelveMonths(db, appId, period, true);
  const running = new Map<Currency, number>(CURRENCIES.map((c) => [c, mrrOf(before.find((r) => r.currency === c) ?? ZERO)]));
  return {
    months: months.map((month) => {
      for (const row of rowsOf(month)) running.set(row.currency, running.get(row.currency)! + mrrOf(row));
      return { month, mrr: CURRENCIES.map((currency) => ({ currency, amount: running.get(currency)! })) };
    }),
  };
});

export const getSubscriptionFlowSeries = stat('subscriptionFlow', async (db, appId, period): Promise<SubscriptionFlowSeries> => {
  const { months, rowsOf } = await twelveMonths(db, appId, period);
  return {
    months: months.map((month) => ({
      month,
      new: total(rowsOf(month), (s) => s.newSubscribers + s.reactivatedSubscribers),
      churned: total(rowsOf(month), (s) => s.churnedSubscribers),
    })),
  };
});

export const getRevenueSeries = stat('revenueSeries', async (db, appId, period): Promise<RevenueSeries> => {
  const { months, rowsOf } = await twelveMonths(db, appId, period);
  return { months: months.map((month) => ({ month, revenue: revenueOf(rowsOf(month)) })) };
});

export const getMrrMovements = stat('movements', async (db, appId, period): Promise<MrrMovements> => {
  const [before, during] = (await metricsDaily.sumRanges(db, appId, [{ before: period.start }, { from: period.start, before: period.end }])) as [
    Sums[],
    Sums[],
  ];
  return {
    month: period.month,
    movements: CURRENCIES.map((currency) => {
      const m = during.find((r) => r.currency === currency) ?? ZERO;
      const starting = mrrOf(before.find((r) => r.currency === currency) ?? ZERO);
      return {
        currency,
        starting,
        new: m.newMrr,
        expansion: m.expansionMrr,
        contraction: m.contractionMrr,
        churned: m.churnedMrr,
        reactivation: m.reactivationMrr,
        ending: starting + mrrOf(m),
      };
    }),
  };
});
