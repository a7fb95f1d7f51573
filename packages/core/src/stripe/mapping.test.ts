import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { invoicePeriod, invoiceSubscriptionId, mapInvoiceStatus, mapRefundStatus, mapSubscriptionStatus, subscriptionPeriod, toCurrency } from './mapping.ts';

describe('Stripe → Aquoris mapping', () => {
  it('maps every subscription status, and refuses unknown ones loudly', () => {
    expect(['active', 'trialing', 'past_due', 'canceled', 'incomplete', 'incomplete_expired', 'unpaid', 'paused'].map((s) => mapSubscriptionStatus(s))).toEqual(
      ['ACTIVE', 'TRIALING', 'PAST_DUE', 'CANCELED', 'INCOMPLETE', 'EXPIRED', 'UNPAID', 'PAUSED'],
    );
    expect(() => mapSubscriptionStatus('hibernating')).toThrow(/unknown Stripe subscription status/);
  });
  it('maps invoice and refund statuses and currencies', () => {
    expect(mapInvoiceStatus('paid')).toBe('PAID');
    expect(mapInvoiceStatus('open')).toBe('OPEN');
    expect(mapInvoiceStatus(null)).toBe('DRAFT');
    expect(mapRefundStatus('succeeded')).toBe('SUCCEEDED');
    expect(mapRefundStatus('requires_action')).toBe('PENDING');
    expect(toCurrency('THB')).toBe('thb');
    expect(toCurrency('eur')).toBeNull();
  });
  it('reads the period from the first item and the subscription from the invoice parent (API basil)', () => {
    const sub = {
      id: 'sub_1',
      items: { data: [{ current_period_start: 1_800_000_000, current_period_end: 1_802_592_000 }] },
    } as unknown as Stripe.Subscription;
    expect(subscriptionPeriod(sub)).toEqual({ start: new Date(1_800_000_000_000), end: new Date(1_802_592_000_000) });
    const invoice = {
      parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1' } },
      lines: { data: [{ period: { start: 20, end: 30 } }, { period: { start: 10, end: 25 } }] },
    } as unknown as Stripe.Invoice;
    expect(invoiceSubscriptionId(invoice)).toBe('sub_1');
    expect(invoicePeriod(invoice)).toEqual({ start: new Date(10_000), end: new Date(30_000) });
  });
});
