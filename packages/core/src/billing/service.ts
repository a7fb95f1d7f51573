import { checkoutSessions, customers, invoices, planPrices, refunds, subscriptions, type Executor, type SubscriptionWithPlan } from '@aquoris/db';
import type { SubscriberActor } from '../actors.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { isPurchasable, listAllPlans, toPublicPlan } from '../plans/service.ts';
import type { VerifiedSession } from '../sessions/tokens.ts';
import { isFreePlanSubscription, isOpenEndedFreePlan } from '../subscriptions/free.ts';
import { pickBase } from '../subscriptions/service.ts';
import { parseInput } from '../validation.ts';
import {
  CheckoutStatusInput,
  type BillingInvoiceList,
  type BillingPlanList,
  type BillingSubscription,
  type BillingSubscriptionResult,
  type CheckoutStatusResult,
} from './schemas.ts';

/** What the billing pages show about where the subscriber came from and who they are. */
export async function getSubscriberOverview(deps: Pick<Deps, 'db'>, actor: SubscriberActor, session: VerifiedSession) {
  const customer = await customers.findInAppWithApp(deps.db.kysely, actor.appId, actor.customerId);
  if (!customer) throw new AppError('UNAUTHORIZED', 'This billing session is no longer valid');
  return {
    app: { name: customer.appName, slug: customer.appSlug },
    returnUrl: session.returnUrl ?? customer.appReturnUrl,
    intent: session.intent,
    planSlug: session.planSlug ?? null,
    billingInterval: session.billingInterval ?? null,
    customer: { email: customer.email, name: customer.name },
    sessionExpiresAt: session.expiresAt.toISOString(),
  };
}

/** Statuses of a Stripe subscription that still exists on Stripe's side (a second one would be a duplicate). */
export const LIVE_STRIPE_STATUSES = subscriptions.LIVE_STRIPE_STATUSES;

export function toBillingSubscription(row: SubscriptionWithPlan): BillingSubscription {
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    plan: { slug: row.plan.slug, name: row.plan.name, priceAmount: row.plan.priceAmount, currency: row.plan.currency, interval: row.plan.interval },
    currentPeriodStart: row.currentPeriodStart.toISOString(),
    currentPeriodEnd: row.currentPeriodEnd.toISOString(),
    trialEnd: row.trialEnd?.toISOString() ?? null,
    canceledAt: row.canceledAt?.toISOString() ?? null,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    manageable: row.source === 'CHECKOUT' && row.stripeSubscriptionId !== null && (LIVE_STRIPE_STATUSES as readonly string[]).includes(row.status),
    free: isFreePlanSubscription(row),
    openEnded: isOpenEndedFreePlan(row),
  };
}

/** The current base subscription, chosen exactly as eligibility chooses it (lapsed manual grants never count). */
export async function findCurrentBase(deps: Pick<Deps, 'clock'>, db: Executor, actor: SubscriberActor): Promise<SubscriptionWithPlan | null> {
  return pickBase(await subscriptions.listCurrentBase(db, actor.appId, actor.customerId, deps.clock.now()));
}

/** The subscriber's live Stripe-backed base subscription, if any (at most one; fulfilment cancels duplicates). */
export async function findLiveStripeSubscription(db: Executor, actor: SubscriberActor): Promise<SubscriptionWithPlan | null> {
  return (await subscriptions.listLiveStripe(db, actor.customerId, actor.appId))[0] ?? null;
}

/** `billing.subscription.get` */
export async function getBillingSubscription(deps: Pick<Deps, 'db' | 'clock'>, actor: SubscriberActor): Promise<BillingSubscriptionResult> {
  const row = await findCurrentBase(deps, deps.db.kysely, actor);
  if (row) return { subscription: toBillingSubscription(row), lastEnded: null };
  const ended = await subscriptions.findLastEndedBase(deps.db.kysely, actor.appId, actor.customerId);
  if (!ended || (ended.status !== 'CANCELED' && ended.status !== 'EXPIRED')) return { subscription: null, lastEnded: null };
  return {
    subscription: null,
    lastEnded: {
      planName: ended.plan.name,
      endedAt: (ended.endedAt ?? ended.canceledAt ?? ended.currentPeriodEnd).toISOString(),
      status: ended.status,
      refundedAmount: await refunds.sumSucceededForSubscription(deps.db.kysely, ended.id),
      currency: ended.plan.currency,
    },
  };
}

/**
 * One of the subscriber's own checkouts, by its Checkout Session id. An id we
 * never issued and another subscriber's are the same NOT_FOUND, so the
 * confirmation page stops at once instead of waiting for a webhook that will
 * never come, and learns nothing about other subscribers' checkouts.
 */
export async function getOwnCheckoutSessionOrThrow(db: Executor, actor: SubscriberActor, stripeCheckoutSessionId: string) {
  const checkout = await checkoutSessions.findOwnByStripeId(db, actor.appId, actor.customerId, stripeCheckoutSessionId);
  if (!checkout) throw new AppError('NOT_FOUND', 'Checkout session not found');
  return checkout;
}

/**
 * `billing.checkout.status`: what our records say about one of the subscriber's
 * checkouts, without calling Stripe (the webhook or verify fulfils it). The
 * subscription is the one this checkout bought: Stripe-backed, of its plan,
 * made after it; never a free plan or grant the subscriber already had.
 */
export async function getCheckoutStatus(deps: Pick<Deps, 'db'>, actor: SubscriberActor, raw: unknown): Promise<CheckoutStatusResult> {
  const input = parseInput(CheckoutStatusInput, raw);
  const checkout = await getOwnCheckoutSessionOrThrow(deps.db.kysely, actor, input.sessionId);
  const bought = await subscriptions.findFirstCheckoutSince(deps.db.kysely, {
    appId: actor.appId,
    customerId: actor.customerId,
    planId: checkout.planId,
    since: checkout.createdAt,
  });
  if (bought) return { status: 'complete', subscription: toBillingSubscription(bought) };
  return { status: checkout.status === 'EXPIRED' ? 'expired' : checkout.status === 'COMPLETE' ? 'complete' : 'pending', subscription: null };
}

/**
 * `billing.plans`: active plans a subscriber can buy (free, or with a Stripe price) in display order, each
 * with the prices it can be bought at, the current one flagged with the interval the subscriber is on.
 */
export async function listBillingPlans(deps: Pick<Deps, 'db' | 'clock'>, actor: SubscriberActor): Promise<BillingPlanList> {
  const [plans, current] = await Promise.all([listAllPlans(deps), findCurrentBase(deps, deps.db.kysely, actor)]);
  const prices = await planPrices.listForPlans(
    deps.db.kysely,
    plans.map((p) => p.id),
  );
  const buyable = prices.filter((price) => isPurchasable({ priceAmount: price.amount, stripePriceId: price.stripePriceId }));
  return {
    plans: plans
      .filter((p) => p.active && (buyable.some((price) => price.planId === p.id) || current?.planId === p.id))
      .map((p) => {
        const isCurrent = current?.planId === p.id;
        return { ...toPublicPlan(p, buyable), description: p.description, current: isCurrent, currentInterval: isCurrent ? current!.billingInterval : null };
      }),
  };
}

/** "bank_transfer" → "Bank transfer": how a manual payment arrived, for people. */
export function paymentMethodLabel(method: string | null): string {
  if (!method) return 'Manual payment';
  const words = method.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Manual payment';
}

/** `billing.invoices`: Stripe and manual invoices, newest first. */
export async function listBillingInvoices(deps: Pick<Deps, 'db'>, actor: SubscriberActor): Promise<BillingInvoiceList> {
  const rows = await invoices.listForCustomer(deps.db.kysely, actor.appId, actor.customerId, 100);
  return {
    invoices: rows.map((inv) => {
      const manual = inv.source === 'MANUAL' ? paymentMethodLabel(inv.paymentMethod) : null;
      const what = inv.description ?? manual ?? inv.planName ?? 'Invoice';
      return {
        id: inv.id,
        createdAt: inv.createdAt.toISOString(),
        amount: inv.amount,
        amountRefunded: inv.amountRefunded,
        currency: inv.currency,
        status: inv.status,
        source: inv.source,
        description: what,
        periodStart: inv.periodStart?.toISOString() ?? null,
        periodEnd: inv.periodEnd?.toISOString() ?? null,
        hostedInvoiceUrl: inv.hostedInvoiceUrl,
        invoicePdfUrl: inv.invoicePdfUrl,
        dueAt: inv.dueAt?.toISOString() ?? null,
        paymentFailureReason: inv.paymentFailureReason,
      };
    }),
  };
}
