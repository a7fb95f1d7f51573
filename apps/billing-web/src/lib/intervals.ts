import type { Interval } from './format.ts';
import type { BillingPlan } from './types.ts';

export type PlanPrice = BillingPlan['prices'][number];

/** The plan's price at an interval; a free plan (default price 0) is free whatever the interval. */
export function priceAt(plan: BillingPlan, interval: Interval): PlanPrice | null {
  if (plan.priceAmount === 0) return { interval: plan.interval, priceAmount: 0, currency: plan.currency };
  return plan.prices.find((p) => p.interval === interval) ?? null;
}

/** True when the plans are sold at both intervals, so the switch has something to switch. */
export function offersBothIntervals(plans: BillingPlan[]): boolean {
  const intervals = new Set(plans.filter((p) => p.priceAmount !== 0).flatMap((p) => p.prices.map((price) => price.interval)));
  return intervals.has('month') && intervals.has('year');
}

/** What paying yearly saves over twelve monthly payments, in whole percent; null without both prices in one currency. */
export function yearlySaving(plan: BillingPlan): number | null {
  const monthly = plan.prices.find((p) => p.interval === 'month');
  const yearly = plan.prices.find((p) => p.interval === 'year');
  if (!monthly || !yearly || monthly.currency !== yearly.currency || monthly.priceAmount <= 0) return null;
  const twelve = 12 * monthly.priceAmount;
  return Math.round(((twelve - yearly.priceAmount) / twelve) * 100);
}

/** "save 17%" (or "save up to 25%" when plans save differently) beside Yearly; null when no plan saves. */
export function yearlySavingLabel(plans: BillingPlan[]): string | null {
  const savings = plans.map(yearlySaving).filter((n): n is number => n !== null && n > 0);
  if (savings.length === 0) return null;
  const best = Math.max(...savings);
  return savings.every((n) => n === best) ? `save ${best}%` : `save up to ${best}%`;
}

/** The interval the subscriber is on, on the current plan (its default one when the plan does not say). */
export function currentIntervalOf(plan: BillingPlan): Interval | null {
  return plan.current ? (plan.currentInterval ?? plan.interval) : null;
}

/** Shown first: the session's pre-selected interval, else the subscriber's current one, else monthly. */
export function initialInterval(plans: BillingPlan[], sessionInterval: Interval | null): Interval {
  if (sessionInterval) return sessionInterval;
  const current = plans.map(currentIntervalOf).find((i) => i !== null);
  return current ?? 'month';
}

export const INTERVAL_LABEL: Record<Interval, string> = { month: 'Monthly', year: 'Yearly' };
