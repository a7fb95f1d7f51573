import type Stripe from 'stripe';

const DAY = 24 * 60 * 60;

/** Shifts a timestamp by n intervals in UTC; months clamp to the last day (Jan 31 + 1 month = Feb 28/29). */
export function shift(anchor: number, interval: Stripe.Price.Recurring.Interval, n: number): number {
  if (interval === 'day') return anchor + n * DAY;
  if (interval === 'week') return anchor + n * 7 * DAY;
  const date = new Date(anchor * 1000);
  const months = interval === 'year' ? 12 * n : n;
  const targetMonth = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  const shifted = new Date(
    Date.UTC(date.getUTCFullYear(), targetMonth, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()),
  );
  return Math.floor(shifted.getTime() / 1000);
}

/**
 * The end of the billing period that starts at `start`, counted from the billing cycle anchor
 * (so a subscription anchored on the 31st bills on the last day of short months, then the 31st again).
 */
export function periodEndAfter(anchor: number, recurring: Pick<Stripe.Price.Recurring, 'interval' | 'interval_count'>, start: number): number {
  for (let n = 1; n < 100_000; n++) {
    const end = shift(anchor, recurring.interval, n * recurring.interval_count);
    if (end > start) return end;
  }
  throw new Error('billing period out of range');
}

export const SECONDS_PER_DAY = DAY;
