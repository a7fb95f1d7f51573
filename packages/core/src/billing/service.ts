import type { Db, Prisma } from '@aquoris/db';
import type { SubscriberActor } from '../actors.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { listAllPlans, toPublicPlan } from '../plans/service.ts';
import type { VerifiedSession } from '../sessions/tokens.ts';
import { isFreePlanSubscription, isOpenEndedFreePlan } from '../subscriptions/free.ts';
import { CURRENT_STATUSES, pickBase } from '../subscriptions/service.ts';
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
  const customer = await deps.db.prisma.customer.findFirst({
    where: { id: actor.customerId, appId: actor.appId },
    select: { email: true, name: true, app: { select: { name: true, slug: true, returnUrl: true } } },
  });
  if (!customer) throw new AppError('UNAUTHORIZED', 'This billing session is no longer valid');
  return {
    app: { name: customer.app.name, slug: customer.app.slug },
    returnUrl: session.returnUrl ?? customer.app.returnUrl,
    intent: session.intent,
    planSlug: session.planSlug ?? null,
    customer: { email: customer.email, name: customer.name },
    sessionExpiresAt: session.expiresAt.toISOString(),
  };
}

type SubscriptionWithPlan = Prisma.SubscriptionGetPayload<{ include: { plan: true } }>;

/** Statuses of a Stripe subscription that still exists on Stripe's side (a second one would be a duplicate). */
export const LIVE_STRIPE_STATUSES = ['ACTIVE', 'TRIALING', 'PAST_DUE', 'INCOMPLETE', 'UNPAID', 'PAUSED'] as const;

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
export async function findCurrentBase(
  deps: { db: Pick<Db, 'subscription'>; clock: Deps['clock'] },
  actor: SubscriberActor,
): Promise<SubscriptionWithPlan | null> {
  const rows = await deps.db.subscription.findMany({
    where: {
      customerId: actor.customerId,
      appId: actor.appId,
      kind: 'BASE',
      status: { in: [...CURRENT_STATUSES] },
      OR: [{ source: 'CHECKOUT' }, { currentPeriodEnd: { gt: deps.clock.now() } }],
    },
    include: { plan: true },
  });
  return pickBase(rows);
}

/** The subscriber's live Stripe-backed base subscription, if any (at most one; fulfilment cancels duplicates). */
export async function findLiveStripeSubscription(db: Pick<Db, 'subscription'>, actor: SubscriberActor): Promise<SubscriptionWithPlan | null> {
  return db.subscription.findFirst({
    where: {
      customerId: actor.customerId,
      appId: actor.appId,
      kind: 'BASE',
      source: 'CHECKOUT',
      stripeSubscriptionId: { not: null },
      status: { in: [...LIVE_STRIPE_STATUSES] },
    },
    include: { plan: true },
    orderBy: { createdAt: 'asc' },
  });
}

/** `billing.subscription.get` */
export async function getBillingSubscription(deps: Pick<Deps, 'db' | 'clock'>, actor: SubscriberActor): Promise<BillingSubscriptionResult> {
  const row = await findCurrentBase({ db: deps.db.prisma, clock: deps.clock }, actor);
  return { subscription: row ? toBillingSubscription(row) : null };
}

/**
 * One of the subscriber's own checkouts, by its Checkout Session id. An id we
 * never issued and another subscriber's are the same NOT_FOUND, so the
 * confirmation page stops at once instead of waiting for a webhook that will
 * never come, and learns nothing about other subscribers' checkouts.
 */
export async function getOwnCheckoutSessionOrThrow(db: Pick<Db, 'checkoutSession'>, actor: SubscriberActor, stripeCheckoutSessionId: string) {
  const checkout = await db.checkoutSession.findFirst({
    where: { stripeCheckoutSessionId, customerId: actor.customerId, appId: actor.appId },
    select: { planId: true, status: true, createdAt: true },
  });
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
  const checkout = await getOwnCheckoutSessionOrThrow(deps.db.prisma, actor, input.sessionId);
  const bought = await deps.db.prisma.subscription.findFirst({
    where: {
      customerId: actor.customerId,
      appId: actor.appId,
      kind: 'BASE',
      source: 'CHECKOUT',
      planId: checkout.planId,
      createdAt: { gte: checkout.createdAt },
    },
    include: { plan: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  if (bought) return { status: 'complete', subscription: toBillingSubscription(bought) };
  return { status: checkout.status === 'EXPIRED' ? 'expired' : checkout.status === 'COMPLETE' ? 'complete' : 'pending', subscription: null };
}

/** `billing.plans`: active plans in display order, the current one flagged. */
export async function listBillingPlans(deps: Pick<Deps, 'db' | 'clock'>, actor: SubscriberActor): Promise<BillingPlanList> {
  const [plans, current] = await Promise.all([listAllPlans(deps), findCurrentBase({ db: deps.db.prisma, clock: deps.clock }, actor)]);
  return {
    plans: plans.filter((p) => p.active).map((p) => ({ ...toPublicPlan(p), description: p.description, current: current?.planId === p.id })),
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
  const rows = await deps.db.prisma.invoice.findMany({
    where: { customerId: actor.customerId, appId: actor.appId },
    include: { subscription: { select: { plan: { select: { name: true } } } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 100,
  });
  return {
    invoices: rows.map((inv) => {
      const manual = inv.source === 'MANUAL' ? paymentMethodLabel(inv.paymentMethod) : null;
      const what = inv.description ?? manual ?? inv.subscription?.plan.name ?? 'Invoice';
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
      };
    }),
  };
}
