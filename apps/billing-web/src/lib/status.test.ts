import { describe, expect, it } from 'vitest';
import { NOW, freeSubscription, subscription } from '../test/fixtures.ts';
import { cancelConsequence, describeSubscription } from './status.ts';

const describe_ = (sub: Parameters<typeof describeSubscription>[0]) => describeSubscription(sub, NOW, 'Vega');

describe('describeSubscription: status wording', () => {
  it('no subscription: invites to choose a plan', () => {
    const view = describe_(null);
    expect(view.label).toBe('No plan');
    expect(view.message).toBe("You don't have a Vega plan yet. Choose one to get started.");
    expect(view).toMatchObject({ canSubscribe: true, canCancel: false, canUpdatePayment: false, hasAccess: false });
  });

  it('active: renewal date and price; change, cancel and payment actions', () => {
    const view = describe_(subscription());
    expect(view).toMatchObject({ label: 'Active', tone: 'success', keyDate: { label: 'Renews on' } });
    expect(view.keyDate).toEqual({ label: 'Renews on', date: 'March 20, 2026' });
    expect(view.message).toBe('Your plan renews automatically at ฿299.00 / month. You can change or cancel it at any time.');
    expect(view).toMatchObject({ canChangePlan: true, canCancel: true, canResume: false, canUpdatePayment: true, canSubscribe: false });
  });

  it('trialing: days left, the end date and what is charged after', () => {
    const view = describe_(subscription({ status: 'TRIALING', trialEnd: '2026-03-11T12:00:00Z' }));
    expect(view.label).toBe('Free trial');
    expect(view.message).toMatch(/^Your free trial ends in 10 days, on March 11, 2026\. After that you'll be charged ฿299\.00 monthly\.$/);
    expect(view.keyDate?.label).toBe('Trial ends on');
  });

  it('trialing with one day left says "1 day"', () => {
    expect(describe_(subscription({ status: 'TRIALING', trialEnd: '2026-03-02T06:00:00Z' })).message).toContain('ends in 1 day,');
  });

  it('cancelAtPeriodEnd: "Your plan ends on …" and offers resume, not cancel', () => {
    const view = describe_(subscription({ cancelAtPeriodEnd: true }));
    expect(view.message).toMatch(/^Your plan ends on March 20, 2026\./);
    expect(view).toMatchObject({ label: 'Ending', tone: 'warning', canResume: true, canCancel: false, canChangePlan: false });
  });

  it('past due: says what happened and what to do', () => {
    const view = describe_(subscription({ status: 'PAST_DUE' }));
    expect(view).toMatchObject({ label: 'Payment failed', tone: 'danger', canUpdatePayment: true, hasAccess: true });
    expect(view.message).toContain("We couldn't take your last payment. Update your payment method");
  });

  it('unpaid and incomplete: no access, fix the payment method', () => {
    expect(describe_(subscription({ status: 'UNPAID' }))).toMatchObject({ hasAccess: false, canUpdatePayment: true, canCancel: false });
    expect(describe_(subscription({ status: 'INCOMPLETE' })).message).toContain("Your first payment didn't go through");
  });

  it('canceled: when it ended, and a way to subscribe again', () => {
    const view = describe_(subscription({ status: 'CANCELED', currentPeriodEnd: '2026-02-01T00:00:00Z', canceledAt: '2026-01-15T00:00:00Z' }));
    expect(view).toMatchObject({ label: 'Canceled', canSubscribe: true, canCancel: false, hasAccess: false });
    expect(view.message).toMatch(/^Your plan ended on February 1, 2026\./);
  });

  it('a manual (non-manageable) plan shows its price, how long it runs, and no Stripe actions', () => {
    const view = describe_(subscription({ source: 'MANUAL', manageable: false, currentPeriodEnd: '2026-12-31T12:00:00Z' }));
    expect(view.price).toEqual({ amount: '฿299.00', per: 'month' });
    expect(view.keyDate).toEqual({ label: 'Runs until', date: 'December 31, 2026' });
    expect(view.message).toContain('arranged with the Vega team and runs until December 31, 2026');
    expect(view).toMatchObject({ canChangePlan: false, canCancel: false, canResume: false, canUpdatePayment: false, canSubscribe: false });
  });

  it('a free plan reads as a free plan: "Free", no end date, and a way to choose a paid plan', () => {
    const free = freeSubscription({ currentPeriodEnd: '2126-03-01T12:00:00Z' });
    const view = describe_(free);
    expect(view.message).toMatch(/^You're on the free plan\. /);
    expect(view.message).not.toMatch(/arranged|contact|2126/);
    expect(view.price).toEqual({ amount: 'Free', per: null });
    expect(view.keyDate).toBeNull();
    expect(view).toMatchObject({ label: 'Active', hasAccess: true, canSubscribe: true, canChangePlan: false, canCancel: false, canUpdatePayment: false });
  });

  it('a free plan granted by the app team for some days says until when, and still offers the paid plans', () => {
    const granted = freeSubscription({ openEnded: false, currentPeriodEnd: '2026-03-31T12:00:00Z' });
    const view = describe_(granted);
    expect(view.message).toMatch(/^You're on the free plan until March 31, 2026, as arranged with the Vega team\. /);
    expect(view.price).toEqual({ amount: 'Free', per: null });
    expect(view.keyDate).toEqual({ label: 'Runs until', date: 'March 31, 2026' });
    expect(view).toMatchObject({ label: 'Active', hasAccess: true, canSubscribe: true, canChangePlan: false, canCancel: false, canUpdatePayment: false });
  });

  it('every plan shows its price and interval', () => {
    expect(describe_(subscription()).price).toEqual({ amount: '฿299.00', per: 'month' });
    expect(describe_(subscription({ plan: { slug: 'team', name: 'Team', priceAmount: 1999, currency: 'usd', interval: 'year' } })).price).toEqual({
      amount: '$19.99',
      per: 'year',
    });
    expect(describe_(null).price).toBeNull();
  });
});

describe('describeSubscription: past due', () => {
  it('not set to cancel: when payment was due, update payment or cancel', () => {
    const view = describe_(subscription({ status: 'PAST_DUE' }));
    expect(view.keyDate).toEqual({ label: 'Payment was due on', date: 'February 20, 2026' });
    expect(view).toMatchObject({ canCancel: true, canResume: false, canUpdatePayment: true });
  });

  it('also set to cancel: "Your plan ends on …", what to do about the payment, and resume instead of cancel', () => {
    const view = describe_(subscription({ status: 'PAST_DUE', cancelAtPeriodEnd: true }));
    expect(view.message).toMatch(/^Your plan ends on March 20, 2026\. We couldn't take your last payment: update your payment method/);
    expect(view.keyDate).toEqual({ label: 'Ends on', date: 'March 20, 2026' });
    expect(view).toMatchObject({
      label: 'Payment failed',
      tone: 'danger',
      hasAccess: true,
      canResume: true,
      canCancel: false,
      canUpdatePayment: true,
      canChangePlan: false,
    });
  });
});

describe('cancelConsequence', () => {
  it('says when access ends', () => {
    expect(cancelConsequence(subscription())).toBe("You keep full access until March 20, 2026. After that your plan ends and you won't be charged again.");
    expect(cancelConsequence(subscription({ status: 'TRIALING', trialEnd: '2026-03-11T12:00:00Z' }))).toContain(
      'Your free trial continues until March 11, 2026',
    );
  });
});
