import { checkoutSessions, locks } from '@aquoris/db';
import type Stripe from 'stripe';
import type { SubscriberActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { CheckoutInput, VerifyCheckoutInput, type CheckoutResult, type VerifyCheckoutResult } from '../billing/schemas.ts';
import { findCurrentBase, findLiveStripeSubscription, getOwnCheckoutSessionOrThrow } from '../billing/service.ts';
import { ensureStripeCustomer } from '../customers/stripe.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getActivePlanBySlugOrThrow, pricePlanOrThrow, type PlanRow } from '../plans/service.ts';
import { callStripe, idempotencyKey, type StripeDeps } from '../stripe/gateway.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';
import { stripePriceOf } from '../stripe-accounts/plan-prices.ts';
import { fromUnix } from '../stripe/mapping.ts';
import { parseInput } from '../validation.ts';
import { isFreePlanSubscription } from '../subscriptions/free.ts';
import { activateFreePlan } from './free-plan.ts';
import { fulfilCheckoutSession } from './fulfil.ts';

/** An open session is reused only while it has at least this long left. */
const REUSE_MARGIN_MS = 10 * 60_000;

/**
 * `billing.checkout.create`. Free plans are activated without Stripe; a
 * subscriber who already pays is sent to the plan-change flow; otherwise a
 * Stripe Checkout Session. A double click or a second tab gets the same open
 * session: an open, unexpired session for the same plan is reused (looked up
 * under a per-customer advisory lock), and concurrent creations send Stripe the
 * same idempotency key. No Stripe call is made while a transaction is open.
 */
export async function createCheckout(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<CheckoutResult> {
  const input = parseInput(CheckoutInput, raw);
  // The plan at the price bought: its amount, interval and Stripe price are that price's.
  const plan = await pricePlanOrThrow(deps, await getActivePlanBySlugOrThrow(deps, input.planSlug), input.billingInterval);
  if (plan.priceAmount === 0) return activateFreePlan(deps, actor, plan);
  if (await findLiveStripeSubscription(deps.db.kysely, actor)) return { kind: 'plan_change', planSlug: plan.slug, billingInterval: plan.interval };
  const current = await findCurrentBase(deps, deps.db.kysely, actor);
  if (current?.source === 'MANUAL' && !isFreePlanSubscription(current)) {
    // A paid plan arranged with the app's team (a manual grant): buying another would bill for two at once.
    const userMessage = `Your ${current.plan.name} plan was arranged with the app's team and runs until ${current.currentPeriodEnd.toISOString().slice(0, 10)}; contact them to change it.`;
    throw new AppError('SUBSCRIPTION_MANAGED_BY_APP', `A MANUAL ${current.plan.slug} grant, arranged with the app's team, is current`, { userMessage });
  }
  const sdeps = await stripeFor(deps, actor.appId);
  const stripePriceId = await stripePriceOf(sdeps, plan);
  if (!stripePriceId) {
    throw new AppError(
      'PLAN_NOT_PURCHASABLE',
      `Plan "${plan.slug}" has no Stripe price${sdeps.stripeAccount.configId ? " in this app's Stripe account" : ''}`,
      {
        userMessage: `The ${plan.name} plan cannot be bought online yet.`,
      },
    );
  }
  const stripeCustomerId = await ensureStripeCustomer(deps, actor.customerId);
  const seen = await lookUnderLock(deps, actor, plan);
  if ('url' in seen) return { kind: 'redirect', url: seen.url };
  // Another tab was paid and not fulfilled yet: it is now, and this subscriber changes plan instead of paying twice.
  if (await settleOtherOpenSessions(sdeps, actor, seen.others)) return { kind: 'plan_change', planSlug: plan.slug, billingInterval: plan.interval };
  return { kind: 'redirect', url: await createStripeSession(sdeps, actor, { ...plan, stripePriceId }, stripeCustomerId, seen.attempt) };
}

/** One short transaction under the customer's checkout lock: an open session to reuse, or the other open ones and the attempt number. */
async function lookUnderLock(
  deps: Deps,
  actor: SubscriberActor,
  plan: PlanRow,
): Promise<{ url: string } | { others: Array<{ id: string; stripeCheckoutSessionId: string | null }>; attempt: number }> {
  return deps.db.transaction(async (tx) => {
    await locks.lockKey(tx, `checkout:${actor.customerId}`);
    const now = deps.clock.now();
    const price = { planId: plan.id, billingInterval: plan.interval };
    const open = await checkoutSessions.findReusableOpen(tx, actor.customerId, price, new Date(now.getTime() + REUSE_MARGIN_MS));
    if (open?.url) return { url: open.url };
    return {
      others: await checkoutSessions.listOpenWithStripe(tx, actor.customerId, now),
      attempt: await checkoutSessions.countForCustomer(tx, actor.customerId),
    };
  });
}

/**
 * Creates the Stripe Checkout Session with no transaction open, then records it and its audit entry in a
 * short one. The idempotency key is deterministic while nothing was recorded (the customer's session count
 * and a hash of the request): a concurrent request (a double click) or a retry after a failed write gets the
 * same Stripe session back, which is recorded once.
 */
async function createStripeSession(deps: StripeDeps, actor: SubscriberActor, plan: PlanRow, stripeCustomerId: string, attempt: number): Promise<string> {
  const metadata = { customerId: actor.customerId, appId: actor.appId, planId: plan.id, planSlug: plan.slug, billingInterval: plan.interval };
  const publicUrl = deps.config.publicUrl;
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'subscription',
    customer: stripeCustomerId,
    line_items: [{ price: plan.stripePriceId!, quantity: 1 }],
    client_reference_id: actor.customerId,
    metadata,
    subscription_data: { metadata, ...(plan.trialDays > 0 ? { trial_period_days: plan.trialDays } : {}) },
    success_url: `${publicUrl}/billing/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${publicUrl}/billing/plans`,
  };
  // With a hash of the request: a retry after an operator repaired the plan's price is a new request to Stripe.
  const key = idempotencyKey(`aqb-checkout-${actor.customerId}-${plan.id}-${attempt}`, params);
  const session = await callStripe(deps, 'checkout session create', () => deps.stripe.checkout.sessions.create(params, { idempotencyKey: key }));
  const url = session.url;
  if (!url) throw new AppError('PROVIDER_ERROR', 'Stripe returned a Checkout Session without a URL');
  await deps.db.transaction(async (tx) => {
    // Under the lookup's lock: a lookup sees this session in all of its statements or in none (READ COMMITTED
    // gives each statement its own snapshot), so it never counts it as another attempt it cannot reuse.
    await locks.lockKey(tx, `checkout:${actor.customerId}`);
    const row = await checkoutSessions.insertUnlessRecorded(tx, {
      appId: actor.appId,
      customerId: actor.customerId,
      planId: plan.id,
      billingInterval: plan.interval,
      stripeCheckoutSessionId: session.id,
      livemode: session.livemode,
      url,
      expiresAt: fromUnix(session.expires_at),
    });
    if (row) {
      await recordAudit(tx, actor, {
        action: 'checkout.created',
        targetType: 'checkout_session',
        targetId: row.id,
        details: { plan: plan.slug, billingInterval: plan.interval, stripeCheckoutSessionId: session.id },
      });
    }
  });
  return url;
}

/**
 * Another tab's session for another plan would become a second subscription
 * if paid: expire it (in Stripe, then our row). One that cannot be expired may
 * have been paid already (Stripe refuses to expire a complete session): it is
 * then fulfilled here, through the same function as the verify call (read with
 * no lock held, then a short transaction), and the answer is true: the caller
 * offers a plan change instead of a second Checkout. Fulfilment's duplicate
 * guard still covers a payment this check misses.
 */
async function settleOtherOpenSessions(
  deps: StripeDeps,
  actor: SubscriberActor,
  others: Array<{ id: string; stripeCheckoutSessionId: string | null }>,
): Promise<boolean> {
  let paid = false;
  for (const other of others) {
    try {
      await deps.stripe.checkout.sessions.expire(other.stripeCheckoutSessionId!);
      await checkoutSessions.markExpired(deps.db.kysely, other.id);
    } catch (error) {
      deps.log.info({ err: error, checkoutSessionId: other.id }, 'could not expire an older checkout session; checking whether it was paid');
      const fulfilled = await fulfilCheckoutSession(deps, actor, other.stripeCheckoutSessionId!);
      if (fulfilled.status === 'complete' && fulfilled.subscription) paid = true;
    }
  }
  return paid;
}

/**
 * `billing.checkout.verify`: when the subscriber comes back from Checkout,
 * fulfil at once from the session (Stripe's recommended fallback), through the
 * same idempotent function the webhook uses.
 */
export async function verifyCheckout(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<VerifyCheckoutResult> {
  const input = parseInput(VerifyCheckoutInput, raw);
  await getOwnCheckoutSessionOrThrow(deps.db.kysely, actor, input.sessionId);
  const result = await fulfilCheckoutSession(await stripeFor(deps, actor.appId), actor, input.sessionId);
  return { status: result.status, subscription: result.subscription };
}
