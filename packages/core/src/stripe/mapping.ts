import type Stripe from 'stripe';
import type { Currency } from '../money.ts';
import { CURRENCIES } from '../money.ts';

type SubscriptionStatus = 'ACTIVE' | 'PAST_DUE' | 'CANCELED' | 'INCOMPLETE' | 'TRIALING' | 'UNPAID' | 'PAUSED' | 'EXPIRED';
type InvoiceStatus = 'DRAFT' | 'OPEN' | 'PAID' | 'VOID' | 'UNCOLLECTIBLE';
type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

const SUBSCRIPTION_STATUS: Record<string, SubscriptionStatus> = {
  active: 'ACTIVE',
  trialing: 'TRIALING',
  past_due: 'PAST_DUE',
  canceled: 'CANCELED',
  incomplete: 'INCOMPLETE',
  incomplete_expired: 'EXPIRED',
  unpaid: 'UNPAID',
  paused: 'PAUSED',
};

/** Throws on a status this version does not know, so the event fails loudly and is retried rather than misfiled. */
export function mapSubscriptionStatus(status: Stripe.Subscription.Status): SubscriptionStatus {
  const mapped = SUBSCRIPTION_STATUS[status];
  if (!mapped) throw new Error(`unknown Stripe subscription status "${status}"`);
  return mapped;
}

const INVOICE_STATUS: Record<string, InvoiceStatus> = {
  draft: 'DRAFT',
  open: 'OPEN',
  paid: 'PAID',
  void: 'VOID',
  uncollectible: 'UNCOLLECTIBLE',
};

export function mapInvoiceStatus(status: Stripe.Invoice.Status | null): InvoiceStatus {
  if (!status) return 'DRAFT';
  const mapped = INVOICE_STATUS[status];
  if (!mapped) throw new Error(`unknown Stripe invoice status "${status}"`);
  return mapped;
}

export function mapRefundStatus(status: string | null): RefundStatus {
  switch (status) {
    case 'succeeded':
      return 'SUCCEEDED';
    case 'failed':
      return 'FAILED';
    case 'canceled':
      return 'CANCELED';
    default:
      return 'PENDING';
  }
}

export function toCurrency(code: string): Currency | null {
  const lower = code.toLowerCase();
  return (CURRENCIES as readonly string[]).includes(lower) ? (lower as Currency) : null;
}

export const fromUnix = (seconds: number): Date => new Date(seconds * 1000);
export const fromUnixOrNull = (seconds: number | null | undefined): Date | null => (seconds ? fromUnix(seconds) : null);

/** Since API version basil the billing period lives on the subscription items. */
export function subscriptionPeriod(sub: Stripe.Subscription): { start: Date; end: Date } {
  const item = sub.items.data[0];
  if (!item) throw new Error(`Stripe subscription ${sub.id} has no items`);
  return { start: fromUnix(item.current_period_start), end: fromUnix(item.current_period_end) };
}

export function subscriptionPriceId(sub: Stripe.Subscription): string | null {
  return sub.items.data[0]?.price.id ?? null;
}

export const idOf = (value: string | { id: string } | null | undefined): string | null => (value == null ? null : typeof value === 'string' ? value : value.id);

/** invoice → subscription, the basil way: `parent.subscription_details.subscription`. */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  return idOf(invoice.parent?.subscription_details?.subscription);
}

/** The billed period of an invoice: the span of its lines (the invoice's own period fields are not the service period). */
export function invoicePeriod(invoice: Stripe.Invoice): { start: Date | null; end: Date | null } {
  const lines = invoice.lines?.data ?? [];
  if (lines.length === 0) return { start: null, end: null };
  const start = Math.min(...lines.map((l) => l.period.start));
  const end = Math.max(...lines.map((l) => l.period.end));
  return { start: fromUnix(start), end: fromUnix(end) };
}
