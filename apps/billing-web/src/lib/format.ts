/**
 * Pure formatting for the billing pages. Money is core's own formatMoney: its
 * module (`@aquoris/core/money`) imports nothing, so it is safe in the browser
 * bundle, unlike the rest of core.
 */
import { formatMoney, type Currency } from '@aquoris/core/money';

export { formatMoney, type Currency };
export type Interval = 'month' | 'year';

/** "฿299.00 / month" */
export function formatPrice(amount: number, currency: Currency, interval: Interval): string {
  return `${formatMoney(amount, currency)} / ${interval}`;
}

/** "month" → "monthly", for sentences such as "billed monthly". */
export function intervalAdverb(interval: Interval): string {
  return interval === 'month' ? 'monthly' : 'yearly';
}

/** 14 → "14-day free trial"; 0 → null. */
export function formatTrial(days: number): string | null {
  if (days <= 0) return null;
  return days === 1 ? '1-day free trial' : `${days}-day free trial`;
}

/** "2026-03-05T10:00:00Z" → "March 5, 2026" (in the subscriber's time zone unless one is given). */
export function formatDate(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

/** Short form for tables: "Mar 5, 2026". */
export function formatShortDate(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

/** A service period: "Feb 20 – Mar 20, 2026", or with both years when it spans two. */
export function formatPeriod(startIso: string, endIso: string, timeZone?: string): string {
  const options = { month: 'short', day: 'numeric', ...(timeZone ? { timeZone } : {}) } as const;
  const year = (iso: string) => new Intl.DateTimeFormat('en-US', { year: 'numeric', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
  const start = new Intl.DateTimeFormat('en-US', options).format(new Date(startIso));
  const end = formatShortDate(endIso, timeZone);
  return year(startIso) === year(endIso) ? `${start} – ${end}` : `${formatShortDate(startIso, timeZone)} – ${end}`;
}

const DAY_MS = 86_400_000;

/** Whole days left until `iso`, rounded up (a trial ending in 2 hours has 1 day left); never negative. */
export function daysUntil(iso: string, now: Date): number {
  const ms = new Date(iso).getTime() - now.getTime();
  return ms <= 0 ? 0 : Math.ceil(ms / DAY_MS);
}

/** 1 → "1 day", 3 → "3 days". */
export function pluralDays(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

const CARD_BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  diners: 'Diners Club',
};

/** { brand: 'visa', last4: '4242', expMonth: 4, expYear: 2034 } → "Visa •••• 4242 · expires 04/2034" */
export function formatCard(card: { brand: string; last4: string; expMonth: number; expYear: number }): string {
  const brand = CARD_BRANDS[card.brand] ?? (card.brand === 'unknown' || !card.brand ? 'Card' : card.brand[0]!.toUpperCase() + card.brand.slice(1));
  return `${brand} •••• ${card.last4} · expires ${String(card.expMonth).padStart(2, '0')}/${card.expYear}`;
}
