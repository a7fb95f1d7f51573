import { describe, expect, it } from 'vitest';
import { daysUntil, formatDate, formatPeriod, formatPrice, formatShortDate, formatTrial, pluralDays } from './format.ts';

describe('prices, trials, dates', () => {
  it('formats a price with its interval', () => {
    expect(formatPrice(29900, 'thb', 'month')).toBe('฿299.00 / month');
    expect(formatPrice(299000, 'thb', 'year')).toBe('฿2,990.00 / year');
  });

  it('describes trials, and no trial as null', () => {
    expect(formatTrial(14)).toBe('14-day free trial');
    expect(formatTrial(1)).toBe('1-day free trial');
    expect(formatTrial(0)).toBeNull();
  });

  it('formats dates in the given time zone', () => {
    expect(formatDate('2026-03-05T10:00:00Z', 'UTC')).toBe('March 5, 2026');
    expect(formatDate('2026-03-05T20:00:00Z', 'Asia/Bangkok')).toBe('March 6, 2026');
    expect(formatShortDate('2026-12-31T12:00:00Z', 'UTC')).toBe('Dec 31, 2026');
  });

  it('counts days left rounding up, never below zero', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(daysUntil('2026-01-15T00:00:00Z', now)).toBe(14);
    expect(daysUntil('2026-01-01T02:00:00Z', now)).toBe(1);
    expect(daysUntil('2025-12-31T00:00:00Z', now)).toBe(0);
    expect(pluralDays(1)).toBe('1 day');
    expect(pluralDays(3)).toBe('3 days');
  });
});

describe('formatPeriod', () => {
  it('names the year once within a year, and both across two', () => {
    expect(formatPeriod('2026-02-20T12:00:00Z', '2026-03-20T12:00:00Z', 'UTC')).toBe('Feb 20 – Mar 20, 2026');
    expect(formatPeriod('2026-12-22T09:00:00Z', '2027-01-22T09:00:00Z', 'UTC')).toBe('Dec 22, 2026 – Jan 22, 2027');
  });
});

describe('formatCard', () => {
  it('names the brand, masks all but the last 4 and pads the month', async () => {
    const { formatCard } = await import('./format.ts');
    expect(formatCard({ brand: 'visa', last4: '4242', expMonth: 4, expYear: 2034 })).toBe('Visa •••• 4242 · expires 04/2034');
    expect(formatCard({ brand: 'amex', last4: '0005', expMonth: 12, expYear: 2030 })).toBe('American Express •••• 0005 · expires 12/2030');
    expect(formatCard({ brand: 'unknown', last4: '1111', expMonth: 1, expYear: 2031 })).toBe('Card •••• 1111 · expires 01/2031');
  });
});
