import { invoices, locks, type InvoiceRow } from '@aquoris/db';
import type Stripe from 'stripe';
import type { AppActor, SubscriberActor } from '../actors.ts';
import { ensureStripeCustomer } from '../customers/stripe.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { Currency } from '../money.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { idOf } from '../stripe/mapping.ts';
import { parseInput } from '../validation.ts';
import { InvoicePaymentIntentParams, type InvoicePaymentIntentView, type InvoicePaymentPage } from './schemas.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';

/** The metadata key that ties a payment intent to our invoice; payment_intent events without it are none of ours. */
export const INVOICE_METADATA_KEY = 'aquorisInvoiceId';

/** A payment intent that can still collect: not paid, not canceled. */
const isReusable = (pi: Stripe.PaymentIntent) => pi.status !== 'canceled' && pi.status !== 'succeeded';

function refuseUnpayable(invoice: InvoiceRow): void {
  if (invoice.status === 'PAID') throw new AppError('INVOICE_ALREADY_PAID', 'This invoice is already paid');
  if (invoice.status === 'VOID') throw new AppError('INVOICE_VOID', 'This invoice is void: nothing is owed on it');
  if (invoice.status !== 'OPEN') throw new AppError('INVOICE_NOT_PAYABLE', `Only an open invoice can be paid; this one is ${invoice.status.toLowerCase()}`);
  if (invoice.source === 'MANUAL') throw new AppError('INVOICE_NOT_PAYABLE', 'A manually recorded payment has nothing to collect');
}

/** A Stripe invoice's own payment intent (Stripe made it when it tried to collect), or null when it never tried. */
async function stripeInvoicePaymentIntent(deps: StripeDeps, stripeInvoiceId: string): Promise<Stripe.PaymentIntent | null> {
  const payments = await callStripe(deps, 'invoice payments list', () => deps.stripe.invoicePayments.list({ invoice: stripeInvoiceId, limit: 20 }));
  for (const payment of payments.data) {
    const id = idOf(payment.payment.payment_intent ?? null);
    if (!id) continue;
    const pi = await callStripe(deps, 'payment intent retrieve', () => deps.stripe.paymentIntents.retrieve(id));
    if (isReusable(pi)) return pi;
  }
  return null;
}

/** The payment intent this invoice is to be paid with: its stored one while it can still collect, else a new one (or the Stripe invoice's). */
async function openPaymentIntent(deps: StripeDeps, invoice: InvoiceRow, stripeCustomerId: string | null): Promise<Stripe.PaymentIntent> {
  const stored = invoice.stripePaymentIntentId
    ? await callStripe(deps, 'payment intent retrieve', () => deps.stripe.paymentIntents.retrieve(invoice.stripePaymentIntentId!))
    : null;
  if (stored?.status === 'succeeded') throw new AppError('INVOICE_ALREADY_PAID', 'This invoice is already paid (the payment is being recorded)');
  if (stored && isReusable(stored)) return stored;
  const metadata = { [INVOICE_METADATA_KEY]: invoice.id, aquorisAppId: invoice.appId };
  if (invoice.stripeInvoiceId) {
    const pi = await stripeInvoicePaymentIntent(deps, invoice.stripeInvoiceId);
    if (!pi) throw new AppError('INVOICE_NOT_PAYABLE', 'Stripe has not tried to collect this invoice yet; pay it on its hosted invoice page');
    if (pi.metadata[INVOICE_METADATA_KEY] === invoice.id) return pi;
    return callStripe(deps, 'payment intent update', () => deps.stripe.paymentIntents.update(pi.id, { metadata }));
  }
  const params: Stripe.PaymentIntentCreateParams = {
    amount: invoice.amount,
    currency: invoice.currency,
    customer: stripeCustomerId!,
    description: invoice.description ?? 'Invoice',
    allowed_payment_method_types: ['card'],
    metadata,
  };
  // One key per invoice and predecessor: a retry after a failed write gets the same intent back.
  return callStripe(deps, 'payment intent create', () =>
    deps.stripe.paymentIntents.create(params, { idempotencyKey: `aqb-invoice-pi-${invoice.id}-${stored?.id ?? 'first'}` }),
  );
}

/**
 * The payment intent that collects one open invoice (an issued one, or a Stripe invoice whose payment failed),
 * for Stripe.js to confirm. It reuses the invoice's intent while that can still collect: concurrent calls
 * serialise on the invoice's advisory lock, and the intent's id is a unique key on the invoice, so they all
 * get the same one. Another app's invoice is not found; a paid or void one is refused.
 */
export async function createInvoicePaymentIntent(
  deps: Deps,
  actor: AppActor | SubscriberActor,
  raw: InvoicePaymentIntentParams,
): Promise<InvoicePaymentIntentView> {
  const { invoiceId } = parseInput(InvoicePaymentIntentParams, raw);
  const sdeps = await stripeFor(deps, actor.appId);
  const found = await invoices.findForApp(deps.db.kysely, actor.appId, invoiceId);
  if (!found || (actor.type === 'subscriber' && found.customerId !== actor.customerId)) throw new AppError('INVOICE_NOT_FOUND', 'Invoice not found');
  refuseUnpayable(found);
  const stripeCustomerId = found.stripeInvoiceId ? null : await ensureStripeCustomer(deps, found.customerId);
  const pi = await deps.db.transaction(async (tx) => {
    await locks.lockKey(tx, `invoice:pi:${invoiceId}`);
    const invoice = (await invoices.findById(tx, invoiceId))!;
    refuseUnpayable(invoice);
    const pi = await openPaymentIntent(sdeps, invoice, stripeCustomerId);
    if (invoice.stripePaymentIntentId !== pi.id) await invoices.update(tx, invoice.id, { stripePaymentIntentId: pi.id });
    return pi;
  });
  return { id: pi.id, invoiceId, clientSecret: pi.client_secret!, amount: pi.amount, currency: pi.currency as Currency, status: pi.status };
}

/**
 * `billing.invoices.pay` ("Pay now"): the invoice's payment intent, on the card payment page, coming back to
 * the billing pages. The page is the Stripe emulator's (`config.paymentPageUrl`); with real Stripe, whose
 * PaymentIntents have no hosted page, there is none and a Stripe invoice is paid on its hosted invoice page.
 */
export async function startInvoicePayment(deps: Deps, actor: SubscriberActor, raw: InvoicePaymentIntentParams): Promise<InvoicePaymentPage> {
  const pageUrl = deps.config.paymentPageUrl;
  if (!pageUrl) throw new AppError('SERVICE_UNAVAILABLE', 'No card payment page is configured on this server');
  const pi = await createInvoicePaymentIntent(deps, actor, raw);
  const url = new URL(`${pageUrl}/${encodeURIComponent(pi.id)}`);
  url.searchParams.set('client_secret', pi.clientSecret);
  url.searchParams.set('return_url', `${deps.config.publicUrl}/billing/?paid=${encodeURIComponent(pi.invoiceId)}`);
  return { url: url.toString() };
}
