import type { PreparedStatement } from '@aquoris/db';
import type Stripe from 'stripe';
import { lockKey, requirePrismaTx, sqlOf, type AnyTx, type PrismaTx } from '../locks.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { fromUnix, fromUnixOrNull, idOf, invoicePeriod, invoiceSubscriptionId, mapInvoiceStatus, toCurrency } from '../stripe/mapping.ts';
import { findByStripeSubscriptionId, syncStripeSubscription } from '../subscriptions/stripe-sync.ts';

export type InvoiceRow = Awaited<ReturnType<PrismaTx['invoice']['findUniqueOrThrow']>>;

export interface InvoiceSyncResult {
  invoice: InvoiceRow | null;
  created: boolean;
  skipped?: string;
}

// The lookups an invoice event makes, as prepared statements, so that the common case (an invoice already
// recorded and unchanged: a redelivery, or a second event about it) runs in the worker's plain SQL transaction.
const CUSTOMER_BY_STRIPE_ID_SQL: PreparedStatement = {
  name: 'aqb_customer_by_stripe_id_v1',
  text: `SELECT id, "appId" FROM customers WHERE "stripeCustomerId" = $1`,
};
const PLAN_NAME_BY_PRICE_SQL: PreparedStatement = { name: 'aqb_plan_name_by_stripe_price_v1', text: `SELECT name FROM plans WHERE "stripePriceId" = $1` };
const INVOICE_BY_STRIPE_ID_SQL: PreparedStatement = { name: 'aqb_invoice_by_stripe_id_v1', text: `SELECT * FROM invoices WHERE "stripeInvoiceId" = $1` };

async function ownerOf(deps: StripeDeps, tx: AnyTx, invoice: Stripe.Invoice) {
  const stripeSubscriptionId = invoiceSubscriptionId(invoice);
  if (stripeSubscriptionId) {
    let subscription: { id: string; appId: string; customerId: string } | null = await findByStripeSubscriptionId(tx, stripeSubscriptionId);
    // The invoice can arrive before anything recorded its subscription: record it first (lock order: subscription, then invoice).
    subscription ??= (await syncStripeSubscription(deps, tx, stripeSubscriptionId)).subscription;
    if (subscription) return { appId: subscription.appId, customerId: subscription.customerId, subscriptionId: subscription.id };
  }
  const stripeCustomerId = idOf(invoice.customer);
  const [customer] = stripeCustomerId ? await sqlOf(tx).query<{ id: string; appId: string }>(CUSTOMER_BY_STRIPE_ID_SQL, [stripeCustomerId]) : [];
  return customer ? { appId: customer.appId, customerId: customer.id, subscriptionId: null } : null;
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
async function describeStripeInvoice(tx: AnyTx, invoice: Stripe.Invoice): Promise<string | null> {
  const lines = invoice.lines?.data ?? [];
  const regular = lines.filter((line) => !line.parent?.subscription_item_details?.proration);
  const main = regular.at(-1) ?? lines.filter((line) => line.amount > 0).at(-1) ?? lines.at(-1);
  if (!main) return null;
  const priceId = linePriceId(main);
  const [plan] = priceId ? await sqlOf(tx).query<{ name: string }>(PLAN_NAME_BY_PRICE_SQL, [priceId]) : [];
  const name = plan?.name ?? main.description ?? null;
  if (!name) return null;
  return (regular.length === 0 ? `Plan change to ${name}` : name).slice(0, 1024);
}

function sameFields(row: InvoiceRow, fields: Record<string, unknown>): boolean {
  return Object.entries(fields).every(([key, value]) => {
    const current = (row as unknown as Record<string, unknown>)[key];
    return current instanceof Date || value instanceof Date ? (current as Date | null)?.getTime() === (value as Date | null)?.getTime() : current === value;
  });
}

/**
 * Brings our row for one Stripe invoice to Stripe's current state: upsert on
 * the Stripe invoice id, re-read from Stripe after taking the invoice's
 * advisory lock so the last writer also read last. `snapshot` (an event's
 * copy) only tells which subscription and customer the invoice belongs to,
 * facts that never change; without it Stripe is asked first. Call inside a
 * transaction of either kind; a write needs a Prisma one (NeedsPrismaTransaction
 * otherwise, and the caller runs it again in Prisma's).
 */
export async function syncStripeInvoice(deps: StripeDeps, tx: AnyTx, stripeInvoiceId: string, snapshot?: Stripe.Invoice): Promise<InvoiceSyncResult> {
  const retrieve = () => callStripe(deps, 'invoice retrieve', () => deps.stripe.invoices.retrieve(stripeInvoiceId));
  const owner = await ownerOf(deps, tx, snapshot ?? (await retrieve()));
  if (!owner) return { invoice: null, created: false, skipped: 'no customer of ours is linked to this invoice' };
  await lockKey(tx, `stripe:inv:${stripeInvoiceId}`);
  const invoice = await retrieve();
  const currency = toCurrency(invoice.currency);
  if (!currency) return { invoice: null, created: false, skipped: `unsupported currency ${invoice.currency}` };
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
  const [existing] = await sqlOf(tx).query<InvoiceRow>(INVOICE_BY_STRIPE_ID_SQL, [stripeInvoiceId]);
  // A redelivery or a duplicate event finds nothing new: no write.
  if (existing && sameFields(existing, fields)) return { invoice: existing, created: false };
  const prisma = requirePrismaTx(tx, existing ? 'updating an invoice' : 'recording a new invoice');
  if (existing) return { invoice: await prisma.invoice.update({ where: { id: existing.id }, data: fields }), created: false };
  const created = await prisma.invoice.create({
    data: { ...fields, appId: owner.appId, customerId: owner.customerId, source: 'STRIPE', stripeInvoiceId, createdAt: fromUnix(invoice.created) },
  });
  return { invoice: created, created: true };
}
