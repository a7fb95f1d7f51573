import { describe, expect, it } from 'vitest';
import { endsAt, hasAccess, hasPlan, willRenew } from './gating.ts';
import { ELIGIBLE } from './testing/fake-fetch.ts';
import type { Eligibility, EligibilitySubscription, SubscriptionStatus } from './types.ts';

function eligibility(overrides: Partial<EligibilitySubscription> = {}): Eligibility {
  return { base: { ...ELIGIBLE.base, ...overrides }, addons: [] };
}

const NONE: Eligibility = { base: null, addons: [] };
const ALL: SubscriptionStatus[] = ['ACTIVE', 'PAST_DUE', 'CANCELED', 'INCOMPLETE', 'TRIALING', 'UNPAID', 'PAUSED', 'EXPIRED'];

describe('hasAccess', () => {
  it('is true for ACTIVE and TRIALING only', () => {
    const granted = ALL.filter((status) => hasAccess(eligibility({ status })));
    expect(granted).toEqual(['ACTIVE', 'TRIALING']);
  });

  it('adds PAST_DUE as a grace period with allowPastDue', () => {
    const granted = ALL.filter((status) => hasAccess(eligibility({ status }), { allowPastDue: true }));
    expect(granted).toEqual(['ACTIVE', 'PAST_DUE', 'TRIALING']);
  });

  it('is false without a subscription or an answer', () => {
    expect(hasAccess(NONE)).toBe(false);
    expect(hasAccess(NONE, { allowPastDue: true })).toBe(false);
    expect(hasAccess(null)).toBe(false);
    expect(hasAccess(undefined)).toBe(false);
  });

  it('keeps access while a cancellation waits for the period end', () => {
    expect(hasAccess(eligibility({ cancelAtPeriodEnd: true }))).toBe(true);
  });
});

describe('hasPlan', () => {
  it('needs access and the exact plan slug', () => {
    expect(hasPlan(eligibility(), 'pro')).toBe(true);
    expect(hasPlan(eligibility(), 'PRO')).toBe(false);
    expect(hasPlan(eligibility(), 'team')).toBe(false);
    expect(hasPlan(eligibility({ status: 'PAST_DUE' }), 'pro')).toBe(false);
    expect(hasPlan(eligibility({ status: 'PAST_DUE' }), 'pro', { allowPastDue: true })).toBe(true);
    expect(hasPlan(eligibility({ status: 'TRIALING' }), 'pro')).toBe(true);
    expect(hasPlan(NONE, 'pro')).toBe(false);
    expect(hasPlan(null, 'pro')).toBe(false);
  });

  it('accepts a list of slugs', () => {
    expect(hasPlan(eligibility(), ['team', 'pro'])).toBe(true);
    expect(hasPlan(eligibility(), ['team'])).toBe(false);
    expect(hasPlan(eligibility(), [])).toBe(false);
  });
});

describe('willRenew and endsAt', () => {
  it('a renewing subscription will renew and has no end date', () => {
    expect(willRenew(eligibility())).toBe(true);
    expect(willRenew(eligibility({ status: 'TRIALING' }))).toBe(true);
    expect(willRenew(eligibility({ status: 'PAST_DUE' }))).toBe(true);
    expect(endsAt(eligibility())).toBeNull();
  });

  it('cancelAtPeriodEnd: no renewal, ends at currentPeriodEnd', () => {
    const cancelling = eligibility({ cancelAtPeriodEnd: true, currentPeriodEnd: '2026-05-06T00:00:00.000Z' });
    expect(willRenew(cancelling)).toBe(false);
    const end = endsAt(cancelling);
    expect(end).toBeInstanceOf(Date);
    expect(end?.toISOString()).toBe('2026-05-06T00:00:00.000Z');
  });

  it('nothing renews or ends without a subscription', () => {
    expect(willRenew(NONE)).toBe(false);
    expect(willRenew(null)).toBe(false);
    expect(endsAt(NONE)).toBeNull();
    expect(endsAt(undefined)).toBeNull();
    expect(willRenew(eligibility({ status: 'EXPIRED' }))).toBe(false);
  });

  it('an unreadable date is null, not an Invalid Date', () => {
    expect(endsAt(eligibility({ cancelAtPeriodEnd: true, currentPeriodEnd: 'soon' }))).toBeNull();
  });
});
