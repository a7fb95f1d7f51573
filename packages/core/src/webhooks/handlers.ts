import type { Tx } from '@aquoris/db';
import { STRIPE_ACTOR } from '../actors.ts';
import { cancelDuplicateSubscriptions } from '../checkout/duplicates.ts';
import { fulfilCheckoutInTx, readStripeCheckout, type StripeCheckoutRead } from '../checkout/fulfil.ts';
import { applyStripePaymentIntent, invoiceIdOfPaymentIntent, readStripePaymentIntent } from '../invoices/payment-intent-sync.ts';
import { applyStripeInvoice, isForeignInvoice, readStripeInvoice, type StripeInvoiceRead } from '../invoices/stripe-sync.ts';
import { applyStripeChargeRefunds, readStripeCharge, type StripeChargeRead } from '../refunds/stripe-sync.ts';
import type { StripeDeps } from '../stripe/gateway.ts';
import { applyStripeSubscription, readStripeSubscription } from '../subscriptions/stripe-sync.ts';
import { creditDepositInTx, isWalletDepositSession } from '../wallets/deposits.ts';
import type Stripe from 'stripe';

/** The eight events the service acts on (the webhook endpoint in Stripe subscribes to exactly these). */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'charge.refunded',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
] as const;
export type HandledStripeEvent = (typeof HANDLED_STRIPE_EVENTS)[number];

export function isHandledStripeEvent(type: string): type is HandledStripeEvent {
  return (HANDLED_STRIPE_EVENTS as readonly string[]).includes(type);
}

/** The kind of Stripe object an event is about: the unit the worker applies (one read of it settles all its events). */
export const STRIPE_OBJECT_KINDS = ['subscription', 'invoice', 'charge', 'checkout_session', 'payment_intent'] as const;
export type StripeObjectKind = (typeof STRIPE_OBJECT_KINDS)[number];

/** One Stripe object whose stored events are to be applied. */
export interface StripeObjectRef {
  kind: StripeObjectKind;
  objectId: string;
}

const KIND_OF_EVENT: Record<HandledStripeEvent, StripeObjectKind> = {
  'checkout.session.completed': 'checkout_session',
  'customer.subscription.updated': 'subscription',
  'customer.subscription.deleted': 'subscription',
  'invoice.paid': 'invoice',
  'invoice.payment_failed': 'invoice',
  'charge.refunded': 'charge',
  'payment_intent.succeeded': 'payment_intent',
  'payment_intent.payment_failed': 'payment_intent',
};

export function stripeObjectKindOf(type: HandledStripeEvent): StripeObjectKind {
  return KIND_OF_EVENT[type];
}

/**
 * Whether a handled event is about something of ours at all, from its copy alone. A payment intent is ours only
 * when we handed it out for an invoice (its metadata names the invoice, set before anyone could pay it); Stripe's
 * own intents for subscription charges are settled by the invoice events and are not stored.
 */
export function concernsUs(type: HandledStripeEvent, object: unknown): boolean {
  return KIND_OF_EVENT[type] !== 'payment_intent' || invoiceIdOfPaymentIntent(object) !== null;
}

/** The event types about objects of `kind`: one application of the object settles all of them. */
export function eventTypesOf(kind: StripeObjectKind): HandledStripeEvent[] {
  return HANDLED_STRIPE_EVENTS.filter((type) => KIND_OF_EVENT[type] === kind);
}

export interface HandlerResult {
  outcome: Record<string, unknown>;
  /** Work that must run after the transaction commits (e.g. canceling a duplicate subscription). */
  afterCommit?: () => Promise<void>;
}

/**
 * How one kind of object is applied: `read` asks Stripe for its current state, with no transaction open;
 * `apply` writes that state in the transaction, under the object's advisory lock, unless a newer read was
 * applied already (read-ticket.ts). Every handler writes Stripe's state, never an event's copy (the copy
 * only tells an invoice that is none of ours), so the result does not depend on the order events arrive in.
 */
interface ObjectHandler<R> {
  /** Whether `read` uses `snapshot`, the newest event's copy of the object. */
  snapshot?: boolean;
  read(deps: StripeDeps, objectId: string, snapshot: unknown): Promise<R>;
  apply(deps: StripeDeps, tx: Tx, read: R, ticket: string): Promise<HandlerResult>;
}

const subscriptionHandler: ObjectHandler<Stripe.Subscription> = {
  read: (deps, objectId) => readStripeSubscription(deps, objectId),
  async apply(deps, tx, read, ticket) {
    const synced = await applyStripeSubscription(deps, tx, read, ticket);
    return {
      outcome: {
        subscriptionId: synced.subscription?.id ?? null,
        status: synced.subscription?.status ?? null,
        changed: synced.changed,
        ...(synced.skipped ? { skipped: synced.skipped } : {}),
      },
    };
  },
};

const invoiceHandler: ObjectHandler<StripeInvoiceRead> = {
  snapshot: true,
  read: async (deps, objectId, snapshot) =>
    (await isForeignInvoice(deps, snapshot)) ? { invoice: null, subscription: null } : readStripeInvoice(deps, objectId),
  async apply(deps, tx, read, ticket) {
    const synced = await applyStripeInvoice(deps, tx, read, ticket);
    return {
      outcome: {
        invoiceId: synced.invoice?.id ?? null,
        invoiceStatus: synced.invoice?.status ?? null,
        subscriptionStatus: synced.subscription?.subscription?.status ?? null,
        ...(synced.skipped ? { skipped: synced.skipped } : {}),
      },
    };
  },
};

const chargeHandler: ObjectHandler<StripeChargeRead> = {
  read: (deps, objectId) => readStripeCharge(deps, objectId),
  apply: async (deps, tx, read, ticket) => ({ outcome: await applyStripeChargeRefunds(deps, tx, read, ticket) }),
};

const checkoutHandler: ObjectHandler<StripeCheckoutRead> = {
  read: (deps, objectId) => readStripeCheckout(deps, objectId),
  async apply(deps, tx, read, ticket) {
    // A wallet deposit (payment mode) credits the wallet; it never becomes a subscription.
    if (isWalletDepositSession(read.session)) return { outcome: (await creditDepositInTx(tx, STRIPE_ACTOR, read.session)).outcome };
    const result = await fulfilCheckoutInTx(deps, tx, STRIPE_ACTOR, read, ticket);
    return {
      outcome: result.outcome,
      ...(result.duplicates.length ? { afterCommit: () => cancelDuplicateSubscriptions(deps, STRIPE_ACTOR, result.duplicates) } : {}),
    };
  },
};

const paymentIntentHandler: ObjectHandler<Stripe.PaymentIntent> = {
  read: (deps, objectId) => readStripePaymentIntent(deps, objectId),
  apply: async (deps, tx, read, ticket) => ({ outcome: { ...(await applyStripePaymentIntent(deps, tx, read, ticket)) } }),
};

const HANDLERS = {
  subscription: subscriptionHandler,
  payment_intent: paymentIntentHandler,
  invoice: invoiceHandler,
  charge: chargeHandler,
  checkout_session: checkoutHandler,
} satisfies { [K in StripeObjectKind]: unknown };

/** The handler of `kind` (its read's type is only ever handed back to its own apply). */
export function objectHandler(kind: StripeObjectKind): ObjectHandler<unknown> {
  return HANDLERS[kind] as unknown as ObjectHandler<unknown>;
}
