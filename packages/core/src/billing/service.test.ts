import { describe, expect, it } from 'vitest';
import { BillingSubscription } from './schemas.ts';
import { toBillingSubscription } from './service.ts';

type Row = Parameters<typeof toBillingSubscription>[0];
const T0 = new Date('2026-03-01T00:00:00Z');

function row(overrides: Partial<Row> = {}, plan: Partial<Row['plan']> = {}): Row {
  return {
    id: 'sub_1',
    appId: 'app_1',
    customerId: 'cus_1',
    planId: 'plan_pro',
    billingInterval: 'month',
    status: 'ACTIVE',
    source: 'CHECKOUT',
    kind: 'BASE',
    currentPeriodStart: T0,
    currentPeriodEnd: new Date('2026-04-01T00:00:00Z'),
    trialEnd: null,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    endedAt: null,
    stripeSubscriptionId: 'sub_stripe_1',
    stripeSyncedAt: T0,
    stripeReadTicket: null,
    livemode: false,
    createdAt: T0,
    updatedAt: T0,
    plan: {
      id: 'plan_pro',
      slug: 'pro',
      name: 'Pro',
      description: null,
      priceAmount: 29900,
      currency: 'thb',
      interval: 'month',
      trialDays: 0,
      stripePriceId: 'price_1',
      stripeProductId: 'prod_1',
      active: true,
      displayOrder: 0,
      createdAt: T0,
      updatedAt: T0,
      ...plan,
    },
    ...overrides,
  };
}

describe('toBillingSubscription', () => {
  it('a Stripe-backed plan is manageable and not free', () => {
    const view = toBillingSubscription(row());
    expect(BillingSubscription.parse(view)).toEqual(view);
    expect(view).toMatchObject({ manageable: true, free: false, openEnded: false, plan: { priceAmount: 29900, interval: 'month' } });
  });

  it('a free plan taken (MANUAL, price 0, FREE_PLAN_YEARS long) says so: not manageable, free, open-ended', () => {
    const view = toBillingSubscription(
      row(
        { source: 'MANUAL', stripeSubscriptionId: null, currentPeriodEnd: new Date('2126-03-01T00:00:00Z') },
        { slug: 'free', priceAmount: 0, stripePriceId: null },
      ),
    );
    expect(view).toMatchObject({ manageable: false, free: true, openEnded: true, plan: { slug: 'free', priceAmount: 0 } });
    // A grant of the free plan on top only adds days: still open-ended.
    expect(
      toBillingSubscription(row({ source: 'MANUAL', stripeSubscriptionId: null, currentPeriodEnd: new Date('2126-03-31T00:00:00Z') }, { priceAmount: 0 }))
        .openEnded,
    ).toBe(true);
  });

  it('a free plan granted for 30 days is free but not open-ended: it ends on its period end', () => {
    const view = toBillingSubscription(
      row(
        { source: 'MANUAL', stripeSubscriptionId: null, currentPeriodEnd: new Date('2026-03-31T00:00:00Z') },
        { slug: 'free', priceAmount: 0, stripePriceId: null },
      ),
    );
    expect(view).toMatchObject({ manageable: false, free: true, openEnded: false, currentPeriodEnd: '2026-03-31T00:00:00.000Z' });
  });

  it('a manual grant of a paid plan is neither manageable nor free, and keeps its price and interval', () => {
    const view = toBillingSubscription(row({ source: 'MANUAL', stripeSubscriptionId: null }));
    expect(view).toMatchObject({ manageable: false, free: false, openEnded: false, plan: { priceAmount: 29900, currency: 'thb', interval: 'month' } });
  });
});
