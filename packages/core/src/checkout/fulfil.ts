import { checkoutSessions, customers, subscriptions, type Tx } from '@aquoris/db';
import type Stripe from 'stripe';
import type { Actor } from '../actors.ts';
import type { BillingSubscription } from '../billing/schemas.ts';
import { toBillingSubscription } from '../billing/service.ts';
import { applyStripeInvoice, readStripeInvoice, type StripeInvoiceRead } from '../invoices/stripe-sync.ts';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { idOf } from '../stripe/mapping.ts';
import { takeStripeReadTicket } from '../stripe/read-ticket.ts';
import { applyStripeSubscription, readStripeSubscription, type SubscriptionOwnerHint } from '../subscriptions/stripe-sync.ts';
import { cancelDuplicateSubscriptions } from './duplicates.ts';
import { endFreeSubscriptions } from '../subscriptions/free.ts';

export interface FulfilResult {
  status: 'complete' | 'pending' | 'expired';
  subscription: BillingSubscription | null;
  /** Facts for the audit entry of the webhook event. */
  outcome: Record<string, unknown>;
  /** Stripe subscription ids that duplicate the customer's first live one; canceled after commit. */
  duplicates: string[];
}

async function ownerOf(tx: Tx, session: Stripe.Checkout.Session): Promise<SubscriptionOwnerHint | null> {
  const row = await checkoutSessions.findByStripeId(tx, session.id);
  if (row) return { appId: row.appId, customerId: row.customerId, planId: row.planId, billingInterval: row.billingInterval };
  const { customerId, appId } = session.metadata ?? {};
  if (!customerId || !appId) return null;
  const customer = await customers.findInApp(tx, appId, customerId);
  return customer ? { appId, customerId, ...(session.metadata?.planId ? { planId: session.metadata.planId } : {}) } : null;
}

/** One read of a Checkout Session: when it completed a subscription, that subscription and its first invoice too. */
export interface StripeCheckoutRead {
  session: Stripe.Checkout.Session;
  subscription: Stripe.Subscription | null;
  latestInvoice: StripeInvoiceRead | null;
}

/** Stripe's current state of a Checkout Session and of what it created. Call with no transaction open. */
export async function readStripeCheckout(deps: StripeDeps, stripeSessionId: string): Promise<StripeCheckoutRead> {
  const session = await callStripe(deps, 'checkout session retrieve', () => deps.stripe.checkout.sessions.retrieve(stripeSessionId));
  const stripeSubscriptionId = idOf(session.subscription);
  if (session.mode !== 'subscription' || session.status !== 'complete' || !stripeSubscriptionId) return { session, subscription: null, latestInvoice: null };
  const subscription = await readStripeSubscription(deps, stripeSubscriptionId);
  const latestInvoice = idOf(subscription.latest_invoice);
  return { session, subscription, latestInvoice: latestInvoice ? await readStripeInvoice(deps, latestInvoice, subscription) : null };
}

/**
 * The one idempotent fulfilment of a Checkout Session, shared by the verify
 * call and the `checkout.session.completed` webhook: from `read` (taken with
 * ticket `ticket` before `tx` began, see read-ticket.ts), records the
 * subscription and its first invoice, completes our checkout row, ends a free
 * plan, and reports duplicate subscriptions. `fulfilCheckoutSession` reads and
 * wraps it in a transaction.
 */
export async function fulfilCheckoutInTx(deps: StripeDeps, tx: Tx, actor: Actor, read: StripeCheckoutRead, ticket: string): Promise<FulfilResult> {
  const { session } = read;
  const none = { subscription: null, duplicates: [] };
  if (session.status === 'expired') {
    await checkoutSessions.expireOpenByStripeId(tx, session.id);
    return { status: 'expired', outcome: { checkout: 'expired' }, ...none };
  }
  const stripeSubscriptionId = idOf(session.subscription);
  if (!read.subscription || !stripeSubscriptionId) {
    return { status: session.status === 'complete' ? 'complete' : 'pending', outcome: { checkout: session.status, mode: session.mode }, ...none };
  }
  const owner = await ownerOf(tx, session);
  if (!owner) return { status: 'complete', outcome: { skipped: 'checkout session of no customer of ours' }, ...none };

  const synced = await applyStripeSubscription(deps, tx, read.subscription, ticket, owner, { actor, details: { stripeCheckoutSessionId: session.id } });
  if (!synced.subscription) return { status: 'complete', outcome: { skipped: synced.skipped }, ...none };
  if (read.latestInvoice) await applyStripeInvoice(deps, tx, read.latestInvoice, ticket);
  const now = deps.clock.now();
  await checkoutSessions.completeByStripeId(tx, session.id, now);
  const freeEnded = await endFreeSubscriptions(tx, actor, owner.customerId, now);
  const live = await subscriptions.listLiveStripe(tx, owner.customerId);
  const duplicates = live.slice(1).map((s) => s.stripeSubscriptionId!);
  const row = live.find((s) => s.id === synced.subscription!.id) ?? (await subscriptions.findByIdWithPlan(tx, synced.subscription.id));
  if (!row) throw new Error(`subscription ${synced.subscription.id} vanished during fulfilment`);
  return {
    status: 'complete',
    subscription: toBillingSubscription(row),
    outcome: { subscriptionId: row.id, created: synced.created, status: row.status, freeEnded, duplicates },
    duplicates,
  };
}

export async function fulfilCheckoutSession(deps: StripeDeps, actor: Actor, stripeSessionId: string): Promise<FulfilResult> {
  const ticket = await takeStripeReadTicket(deps);
  const read = await readStripeCheckout(deps, stripeSessionId);
  const result = await deps.db.transaction((tx) => fulfilCheckoutInTx(deps, tx, actor, read, ticket));
  if (result.duplicates.length) await cancelDuplicateSubscriptions(deps, actor, result.duplicates);
  return result;
}
