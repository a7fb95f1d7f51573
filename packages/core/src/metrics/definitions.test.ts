import { describe, expect, it } from 'vitest';
import { classifyMrrMovement, classifySubscriberChange, customerFigures, monthlyAmount, subscriptionMrr } from './definitions.ts';
import { periodOf } from './periods.ts';

describe('the MRR rules', () => {
  it('normalise a yearly price to a month, rounded per subscription; only ACTIVE and PAST_DUE count', () => {
    expect(monthlyAmount({ priceAmount: 9900, interval: 'year' })).toBe(825);
    expect(monthlyAmount({ priceAmount: 11_900, interval: 'year' })).toBe(992);
    expect(monthlyAmount({ priceAmount: 29_900, interval: 'month' })).toBe(29_900);
    const plan = { priceAmount: 1000, interval: 'month', currency: 'thb' } as const;
    const counted = (['ACTIVE', 'PAST_DUE', 'TRIALING', 'CANCELED', 'EXPIRED', 'UNPAID', 'INCOMPLETE', 'PAUSED'] as const).map((status) =>
      subscriptionMrr({ ...plan, status }),
    );
    expect(counted).toEqual([1000, 1000, 0, 0, 0, 0, 0, 0]);
  });

  it('sum a customer per currency, with the ACTIVE, PAST_DUE and TRIALING counts', () => {
    const figures = customerFigures([
      { status: 'ACTIVE', priceAmount: 1000, interval: 'month', currency: 'thb' },
      { status: 'TRIALING', priceAmount: 1000, interval: 'month', currency: 'thb' },
      { status: 'PAST_DUE', priceAmount: 12_000, interval: 'year', currency: 'usd' },
      { status: 'CANCELED', priceAmount: 5000, interval: 'month', currency: 'usd' },
    ]);
    expect(Object.fromEntries(figures)).toEqual({
      thb: { mrr: 1000, active: 1, pastDue: 0, trialing: 1 },
      usd: { mrr: 1000, active: 0, pastDue: 1, trialing: 0 },
    });
  });

  it('classify movements and subscriber changes', () => {
    expect([classifyMrrMovement(0, 5, false), classifyMrrMovement(0, 5, true), classifyMrrMovement(5, 0, true)]).toEqual(['NEW', 'REACTIVATION', 'CHURN']);
    expect([classifyMrrMovement(5, 8, true), classifyMrrMovement(8, 5, true), classifyMrrMovement(5, 5, true)]).toEqual(['EXPANSION', 'CONTRACTION', null]);
    expect([classifySubscriberChange(false, true, false), classifySubscriberChange(false, true, true), classifySubscriberChange(true, false, true)]).toEqual([
      'NEW',
      'REACTIVATED',
      'CHURNED',
    ]);
    expect(classifySubscriberChange(true, true, true)).toBeNull();
  });

  it('resolve the selected month by the clock: a past month is as of its end, the current one as of now', () => {
    const now = new Date('2026-05-20T18:00:00.000Z');
    expect(periodOf('2026-03', now)).toMatchObject({ month: '2026-03', asOf: new Date('2026-04-01T00:00:00.000Z') });
    expect(periodOf(undefined, now)).toMatchObject({ month: '2026-05', asOf: now, end: new Date('2026-06-01T00:00:00.000Z') });
    expect(periodOf('2027-01', now).asOf).toEqual(new Date('2027-01-01T00:00:00.000Z'));
  });
});
