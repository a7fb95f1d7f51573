import { customers, invoices, locks, plans, type InvoiceRow, type Tx } from '@aquoris/db';
import { recordInvoiceRevenue } from '../metrics/record.ts';
import type Stripe from 'stripe';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { fromUnix, fromUnixOrNull, idOf, invoicePeriod, invoiceSubscriptionId, mapInvoiceStatus, toCurrency } from '../stripe/mapping.ts';
import { isStaleRead } from '../stripe/read-ticket.ts';
import { applyStripeSubscription, changedFields, readStripeSubscription, type SubscriptionSyncResult } from '../subscriptions/stripe-sync.ts';

export type { InvoiceRow };

/** One read of a Stripe invoice, with its subscription's state when it has one (the invoice moves it: a new period, past_due). */
export interface StripeInvoiceRead {
  /** Null when an event's copy already showed the invoice is not ours: Stripe was not asked. */
  invoice: Stripe.Invoice | null;
  subscription: Stripe.Subscription | null;
}

const NOT_OURS = 'no customer of ours is linked to this invoice';

/**
 * Whether an event's copy of an invoice shows it is none of ours: no subscription, and a Stripe customer
 * we do not know. Who an invoice belongs to never changes, so the copy is enough to skip asking Stripe.
 */
export async function isForeignInvoice(deps: StripeDeps, snapshot: unknown): Promise<boolean> {
  const copy = snapshot as Stripe.Invoice | null;
  if (!copy || typeof copy !== 'object' || invoiceSubscriptionId(copy)) return false;
  const stripeCustomerId = idOf(copy.customer);
  return !stripeCustomerId || !(await customers.findByStripeCustomerId(deps.db.kysely, stripeCustomerId));
}

export interface InvoiceSyncResult {
  invoice: InvoiceRow | null;
  created: boolean;
  /** The invoice's subscription, applied first; null when it has none. */
  subscription: SubscriptionSyncResult | null;
  skipped?: string;
}

/** Stripe's current state of one invoice and of its subscription. Call with no transaction open. */
export async function readStripeInvoice(deps: StripeDeps, stripeInvoiceId: string, subscription?: Stripe.Subscription): Promise<StripeInvoiceRead> {
  const invoice = await callStripe(deps, 'invoice retrieve', () => deps.stripe.invoices.retrieve(stripeInvoiceId));
  const stripeSubscriptionId = invoiceSubscriptionId(invoice);
  if (!stripeSubscriptionId) return { invoice, subscription: null };
  return { invoice, subscription: subscription?.id === stripeSubscriptionId ? subscription : await readStripeSubscription(deps, stripeSubscriptionId) };
}

function linePriceId(line: Stripe.InvoiceLineItem): string | null {
  const price = line.pricing?.price_details?.price;
  return typeof price === 'string' ? price : (price?.id ?? null);
}

/**
 * What an invoice billed, in words, fixed when it is recorded: the plan of its
 * regular line, or "Plan change to …" when it only carries prorations (the
 * plan charged for is the positive one). Our plan name when the price is ours.
 */
async function describeStripeInvoice(tx: Tx, invoice: Stripe.Invoice): Promise<string | null> {
  const lines = invoice.lines?.data ?? [];
  const regular = lines.filter((line) => !line.parent?.subscription_item_details?.proration);
  const main = regular.at(-1) ?? lines.filter((line) => line.amount > 0).at(-1) ?? lines.at(-1);
  if (!main) return null;
  const priceId = linePriceId(main);
  const plan = priceId ? await plans.findByStripePriceId(tx, priceId) : undefined;
  const name = plan?.name ?? main.description ?? null;
  if (!name) return null;
  return (regular.length === 0 ? `Plan change to ${name}` : name).slice(0, 1024);
}

async function ownerOf(tx: Tx, invoice: Stripe.Invoice, subscription: SubscriptionSyncResult | null) {
  const row = subscription?.subscription;
  if (row) return { appId: row.appId, customerId: row.customerId, subscriptionId: row.id };
  const stripeCustomerId = idOf(invoice.customer);
  const customer = stripeCustomerId ? await customers.findByStripeCustomerId(tx, stripeCustomerId) : undefined;
  return customer ? { appId: customer.appId, customerId: customer.id, subscriptionId: null } : null;
}

/**
 * Brings our rows for one Stripe invoice and its subscription to `read`, taken with ticket `ticket` before
 * `tx` began: the subscription first (lock order: subscription, then invoice), then the invoice under its
 * advisory lock and row lock, upserted on the Stripe invoice id unless a newer read was applied.
 */
export async function applyStripeInvoice(deps: StripeDeps, tx: Tx, read: StripeInvoiceRead, ticket: string): Promise<InvoiceSyncResult> {
  const { invoice } = read;
  const subscription = read.subscription ? await applyStripeSubscription(deps, tx, read.subscription, ticket) : null;
  const none = { invoice: null, created: false, subscription };
  const owner = invoice ? await ownerOf(tx, invoice, subscription) : null;
  if (!invoice || !owner) return { ...none, skipped: NOT_OURS };
  const currency = toCurrency(invoice.currency);
  if (!currency) return { ...none, skipped: `unsupported currency ${invoice.currency}` };
  await locks.lockKey(tx, `stripe:inv:${invoice.id}`);
  const existing = await invoices.findByStripeIdForUpdate(tx, invoice.id);
  if (existing && isStaleRead(ticket, existing.stripeReadTicket)) return { ...none, invoice: existing, skipped: 'a newer Stripe read is already applied' };
  const period = invoicePeriod(invoice);
  const fields = {
    status: mapInvoiceStatus(invoice.status),
    amount: invoice.total,
    amountPaid: invoice.amount_paid,
    currency,
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    invoicePdfUrl: invoice.invoice_pdf ?? null,
    periodStart: period.start,
    periodEnd: period.end,
    paidAt: fromUnixOrNull(invoice.status_transitions?.paid_at),
    subscriptionId: owner.subscriptionId,
    description: await describeStripeInvoice(tx, invoice),
  };
  if (existing) {
    if (changedFields(existing, fields).length > 0) {
      const updated = await invoices.update(tx, existing.id, { ...fields, stripeReadTicket: ticket });
      await recordInvoiceRevenue(tx, updated);
      return { ...none, invoice: updated };
    }
    // A redelivery or a duplicate event finds nothing new: only the ticket.
    if (existing.stripeReadTicket === ticket) return { ...none, invoice: existing };
    return { ...none, invoice: await invoices.update(tx, existing.id, { stripeReadTicket: ticket }) };
  }
  const created = await invoices.insert(tx, {
    ...fields,
    appId: owner.appId,
    customerId: owner.customerId,
    source: 'STRIPE',
    stripeInvoiceId: invoice.id,
    stripeReadTicket: ticket,
    livemode: invoice.livemode,
    createdAt: fromUnix(invoice.created),
  });
  await recordInvoiceRevenue(tx, created);
  return { ...none, invoice: created, created: true };
}
