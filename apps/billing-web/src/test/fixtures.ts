import type { BillingOverview, BillingPlan, BillingSubscription, PlanChangePreview } from '../lib/types.ts';

export const NOW = new Date('2026-03-01T12:00:00Z');

export function subscription(overrides: Partial<BillingSubscription> = {}): BillingSubscription {
  return {
    id: 'sub_1',
    status: 'ACTIVE',
    source: 'CHECKOUT',
    plan: { slug: 'pro', name: 'Pro', priceAmount: 29900, currency: 'thb', interval: 'month' },
    currentPeriodStart: '2026-02-20T12:00:00Z',
    currentPeriodEnd: '2026-03-20T12:00:00Z',
    trialEnd: null,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    manageable: true,
    free: false,
    openEnded: false,
    ...overrides,
  };
}

/** The free plan as a subscriber who took it has it (MANUAL, price 0, open-ended); `overrides` for a grant. */
export function freeSubscription(overrides: Partial<BillingSubscription> = {}): BillingSubscription {
  return subscription({
    source: 'MANUAL',
    manageable: false,
    free: true,
    openEnded: true,
    plan: { slug: 'free', name: 'Free', priceAmount: 0, currency: 'thb', interval: 'month' },
    ...overrides,
  });
}

export function overview(overrides: Partial<BillingOverview> = {}): BillingOverview {
  return {
    app: { name: 'Vega', slug: 'vega' },
    returnUrl: 'https://vega.example.com/settings',
    intent: 'manage',
    planSlug: null,
    billingInterval: null,
    customer: { email: 'ann@example.com', name: 'Ann' },
    sessionExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  };
}

export function plan(overrides: Partial<BillingPlan> = {}): BillingPlan {
  const base = {
    slug: 'pro',
    name: 'Pro',
    description: 'For growing teams',
    priceAmount: 29900,
    currency: 'thb',
    interval: 'month',
    trialDays: 0,
    ...overrides,
  } as const;
  return {
    ...base,
    prices: overrides.prices ?? [{ interval: base.interval, priceAmount: base.priceAmount, currency: base.currency }],
    current: overrides.current ?? false,
    currentInterval: overrides.currentInterval ?? null,
  };
}

export function preview(overrides: Partial<PlanChangePreview> = {}): PlanChangePreview {
  return {
    fromPlan: { slug: 'basic', name: 'Basic' },
    toPlan: { slug: 'pro', name: 'Pro', priceAmount: 29900, currency: 'thb', interval: 'month' },
    direction: 'upgrade',
    amountDueNow: 13333,
    currency: 'thb',
    lines: [
      { kind: 'unused', planName: 'Basic', periodStart: '2026-03-01T12:00:00Z', periodEnd: '2026-03-20T12:00:00Z', amount: -6667 },
      { kind: 'remaining', planName: 'Pro', periodStart: '2026-03-01T12:00:00Z', periodEnd: '2026-03-20T12:00:00Z', amount: 20000 },
    ],
    prorationDate: 1772366400,
    nextRenewalAt: '2026-03-20T12:00:00Z',
    startsNewPeriod: false,
    ...overrides,
  };
}
