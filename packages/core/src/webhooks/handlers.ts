import type Stripe from 'stripe';
import type { SystemActor } from '../actors.ts';
import { cancelDuplicateSubscriptions } from '../checkout/duplicates.ts';
import { fulfilCheckoutInTx } from '../checkout/fulfil.ts';
import { syncStripeInvoice } from '../invoices/stripe-sync.ts';
import { requireTx, type AnyTx } from '../locks.ts';
import { syncStripeChargeRefunds } from '../refunds/stripe-sync.ts';
import type { StripeDeps } from '../stripe/gateway.ts';
import { invoiceSubscriptionId } from '../stripe/mapping.ts';
import { syncStripeSubscription } from '../subscriptions/stripe-sync.ts';

/** The six events the service acts on (the webhook endpoint in Stripe subscribes to exactly these). */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'charge.refunded',
] as const;
export type HandledStripeEvent = (typeof HANDLED_STRIPE_EVENTS)[number];

export function isHandledStripeEvent(type: string): type is HandledStripeEvent {
  return (HANDLED_STRIPE_EVENTS as readonly string[]).includes(type);
}

export const STRIPE_ACTOR: SystemActor = { type: 'system', name: 'stripe' };

/** The events about one Stripe subscription (both re-read it and mirror it). */
export const SUBSCRIPTION_EVENTS: readonly HandledStripeEvent[] = ['customer.subscription.updated', 'customer.subscription.deleted'];

const INVOICE_EVENTS: readonly HandledStripeEvent[] = ['invoice.paid', 'invoice.payment_failed'];

/** Event types whose handlers do the same thing to the same object (a re-read of it): one application settles them all. */
const SAME_HANDLER: ReadonlyArray<readonly HandledStripeEvent[]> = [SUBSCRIPTION_EVENTS, INVOICE_EVENTS, ['charge.refunded']];

/** The types `type`'s handler also settles for the same object; none for checkout (its handler has side effects after commit). */
export function sameHandlerTypes(type: HandledStripeEvent): readonly HandledStripeEvent[] {
  return SAME_HANDLER.find((group) => group.includes(type)) ?? [];
}

export interface HandlerResult {
  outcome: Record<string, unknown>;
  /** Work that must run after the event's transaction commits (e.g. canceling a duplicate subscription). */
  afterCommit?: () => Promise<void>;
}

type EventObject = { id: string } & Record<string, unknown>;

async function onInvoice(deps: StripeDeps, tx: AnyTx, invoice: Stripe.Invoice): Promise<HandlerResult> {
  const subscriptionId = invoiceSubscriptionId(invoice);
  // Subscription first (its new period or past_due state), then the invoice: the lock order used everywhere.
  const sub = subscriptionId ? await syncStripeSubscription(deps, tx, subscriptionId) : null;
  const synced = await syncStripeInvoice(deps, tx, invoice.id, invoice);
  return {
    outcome: {
      invoiceId: synced.invoice?.id ?? null,
      invoiceStatus: synced.invoice?.status ?? null,
      subscriptionStatus: sub?.subscription?.status ?? null,
      ...(synced.skipped ? { skipped: synced.skipped } : {}),
    },
  };
}

/** Events whose handler runs in a plain SQL transaction (the worker's hot path) unless it must write through Prisma. */
export function runsWithoutPrisma(type: string): boolean {
  return (SUBSCRIPTION_EVENTS as readonly string[]).includes(type) || (INVOICE_EVENTS as readonly string[]).includes(type);
}

/**
 * Applies one stored event. Every handler re-reads the object from Stripe
 * (under the object's advisory lock) rather than trusting the payload, so the
 * result is Stripe's current state whatever the delivery order. Subscription
 * events run in either kind of transaction; the others need Prisma's.
 */
export async function handleStripeEvent(deps: StripeDeps, tx: AnyTx, type: HandledStripeEvent, object: EventObject): Promise<HandlerResult> {
  switch (type) {
    case 'checkout.session.completed': {
      const result = await fulfilCheckoutInTx(deps, requireTx(tx, type), STRIPE_ACTOR, object.id);
      return {
        outcome: result.outcome,
        ...(result.duplicates.length ? { afterCommit: () => cancelDuplicateSubscriptions(deps, STRIPE_ACTOR, result.duplicates) } : {}),
      };
    }
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const synced = await syncStripeSubscription(deps, tx, object.id);
      return {
        outcome: {
          subscriptionId: synced.subscription?.id ?? null,
          status: synced.subscription?.status ?? null,
          changed: synced.changed,
          ...(synced.skipped ? { skipped: synced.skipped } : {}),
        },
      };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return onInvoice(deps, tx, object as unknown as Stripe.Invoice);
    case 'charge.refunded':
      return { outcome: await syncStripeChargeRefunds(deps, requireTx(tx, type), object.id) };
  }
}
