import type Stripe from 'stripe';
import { buildCustomerDetails } from '../builders/checkout.ts';
import type { Ctx } from '../core/context.ts';
import { atCustomerTime } from './customer-time.ts';
import { invalidRequest, missingParam } from '../core/errors.ts';
import { attachDecline, chargeDecline, readCard } from './cards.ts';
import { attachCard, createCustomerRecord } from './customers.ts';
import type { EventBatch, EventType } from './events.ts';
import { addPaymentSucceededEvents, confirmPaymentIntent, consumeFailNextCharge, createPaymentIntent } from './payments.ts';
import { startSubscription } from './subscription-lifecycle.ts';

/**
 * Each Checkout mode decides what its line items may be, what the hosted page's button says,
 * and what completing the session creates. Adding a mode means adding an entry here.
 */
export interface CheckoutMode {
  submitLabel: string;
  /** Line item prices must be recurring (subscription) or one-time (payment). */
  recurring: boolean;
  /** Amount charged when the session completes (0 for a trial: the card is only saved). */
  amountDueNow(ctx: Ctx, session: Stripe.Checkout.Session): number;
  complete(ctx: Ctx, session: Stripe.Checkout.Session, customer: Stripe.Customer, pm: Stripe.PaymentMethod, batch: EventBatch): void;
}

const subscriptionMode: CheckoutMode = {
  submitLabel: 'Subscribe',
  recurring: true,
  amountDueNow: (ctx, session) => (ctx.store.sessionSubscriptionData.get(session.id)?.trialDays ? 0 : (session.amount_total ?? 0)),
  complete(ctx, session, customer, pm, batch) {
    const data = ctx.store.sessionSubscriptionData.get(session.id);
    const items = (ctx.store.sessionLineItems.get(session.id) ?? []).map((li) => ({ price: li.price as Stripe.Price, quantity: li.quantity ?? 1 }));
    const { subscription, invoice } = startSubscription(
      ctx,
      {
        customer: customer.id,
        items,
        trialDays: data?.trialDays ?? null,
        metadata: data?.metadata ?? {},
        description: data?.description ?? null,
        defaultPaymentMethod: pm.id,
      },
      batch,
    );
    session.subscription = subscription.id;
    session.invoice = invoice.id;
    session.payment_status = invoice.amount_paid > 0 ? 'paid' : 'no_payment_required';
  },
};

const paymentMode: CheckoutMode = {
  submitLabel: 'Pay',
  recurring: false,
  amountDueNow: (_ctx, session) => session.amount_total ?? 0,
  complete(ctx, session, customer, pm, batch) {
    const pi = createPaymentIntent(ctx, { amount: session.amount_total ?? 0, currency: session.currency ?? 'usd', customer: customer.id, description: null });
    const outcome = confirmPaymentIntent(ctx, pi, pm.id, batch);
    if (outcome.error || !outcome.charge) throw outcome.error ?? chargeDecline('4000000000000002');
    addPaymentSucceededEvents(pi, outcome.charge, batch);
    session.payment_intent = pi.id;
    session.payment_status = 'paid';
  },
};

export const CHECKOUT_MODES: Partial<Record<Stripe.Checkout.Session.Mode, CheckoutMode>> = {
  subscription: subscriptionMode,
  payment: paymentMode,
};

export function checkoutMode(session: Stripe.Checkout.Session): CheckoutMode {
  const mode = CHECKOUT_MODES[session.mode];
  if (!mode) throw invalidRequest(`mode=${session.mode} is not emulated`, 'mode');
  return mode;
}

/** Stripe's order for a subscription Checkout; events not listed keep their own order after these. */
const EVENT_ORDER: EventType[] = [
  'customer.created',
  'checkout.session.completed',
  'customer.subscription.created',
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_succeeded',
  'payment_intent.succeeded',
  'charge.succeeded',
];

export interface PaymentDetails {
  cardNumber: string;
  email?: string;
  name?: string;
  expMonth?: number;
  expYear?: number;
}

/** What the hosted page's submit does: validate the card, then create everything and emit the events. */
export function completeCheckoutSession(ctx: Ctx, sessionId: string, details: PaymentDetails): Stripe.Checkout.Session {
  const session = ctx.store.checkoutSessions.getOrThrow(sessionId);
  return atCustomerTime(ctx, typeof session.customer === 'string' ? session.customer : null, () => completeAtCustomerTime(ctx, session, details));
}

function completeAtCustomerTime(ctx: Ctx, session: Stripe.Checkout.Session, details: PaymentDetails): Stripe.Checkout.Session {
  if (session.status !== 'open') {
    throw invalidRequest(`This Checkout Session is no longer active (status: ${session.status}).`, undefined, 'checkout_session_inactive');
  }
  const mode = checkoutMode(session);
  const card = readCard(details.cardNumber);
  const existing = session.customer ? ctx.store.customers.getOrThrow(String(session.customer), 'customer') : undefined;
  const email = existing?.email ?? session.customer_email ?? (details.email?.trim() || null);
  if (!email) throw missingParam('email');
  const decline =
    mode.amountDueNow(ctx, session) > 0
      ? ((existing ? consumeFailNextCharge(ctx, existing.id) : null) ?? chargeDecline(card.number))
      : attachDecline(card.number);
  if (decline) throw decline;

  const batch = ctx.events.batch();
  const customer = existing ?? createCustomerRecord(ctx, { email, name: details.name?.trim() || null }, batch);
  const pm = attachCard(ctx, { customer: customer.id, card, email, expMonth: details.expMonth, expYear: details.expYear });
  mode.complete(ctx, session, customer, pm, batch);
  session.status = 'complete';
  session.customer = customer.id;
  session.customer_details = buildCustomerDetails(email, customer.name ?? null);
  batch.add('checkout.session.completed', session);
  batch.commit(EVENT_ORDER);
  return session;
}

export function expireCheckoutSession(ctx: Ctx, session: Stripe.Checkout.Session): Stripe.Checkout.Session {
  if (session.status !== 'open') {
    throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
  }
  session.status = 'expired';
  session.url = null;
  ctx.events.emit('checkout.session.expired', session);
  return session;
}
