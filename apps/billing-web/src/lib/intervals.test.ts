import { describe, expect, it } from 'vitest';
import { plan } from '../test/fixtures.ts';
import { initialInterval, offersBothIntervals, priceAt, yearlySaving, yearlySavingLabel } from './intervals.ts';

const both = (monthly: number, yearly: number, yearlyCurrency = 'thb') =>
  plan({
    prices: [
      { interval: 'month', priceAmount: monthly, currency: 'thb' },
      { interval: 'year', priceAmount: yearly, currency: yearlyCurrency as 'thb' },
    ],
  });

describe('billing intervals on the plans page', () => {
  it('saving: round((12 × monthly − yearly) / (12 × monthly) × 100), only with both prices in one currency', () => {
    expect(yearlySaving(both(29900, 299000))).toBe(17); // 358,800 → 299,000: 16.67%
    expect(yearlySaving(both(29900, 269100))).toBe(25);
    expect(yearlySaving(both(29900, 299000, 'usd'))).toBeNull();
    expect(yearlySaving(plan())).toBeNull();
  });

  it('the label beside Yearly: one figure when every plan saves the same, else "up to" the best; none when nothing is saved', () => {
    expect(yearlySavingLabel([both(29900, 269100), plan()])).toBe('save 25%');
    expect(yearlySavingLabel([both(29900, 269100), both(9900, 99000)])).toBe('save up to 25%');
    expect(yearlySavingLabel([both(1000, 12000), plan()])).toBeNull();
  });

  it('a price at the chosen interval, a free plan at either, none for a plan not sold at it', () => {
    expect(priceAt(both(29900, 299000), 'year')).toEqual({ interval: 'year', priceAmount: 299000, currency: 'thb' });
    expect(priceAt(plan(), 'year')).toBeNull();
    expect(priceAt(plan({ priceAmount: 0 }), 'year')?.priceAmount).toBe(0);
    expect(offersBothIntervals([plan(), plan({ interval: 'year' })])).toBe(true);
    expect(offersBothIntervals([plan(), plan({ priceAmount: 0, interval: 'year' })])).toBe(false);
  });

  it("starts at the session's interval, else the subscriber's, else monthly", () => {
    const yearlySub = { ...both(29900, 299000), current: true, currentInterval: 'year' as const };
    expect(initialInterval([plan()], null)).toBe('month');
    expect(initialInterval([plan(), yearlySub], null)).toBe('year');
    expect(initialInterval([yearlySub], 'month')).toBe('month');
  });
});
