import { checkoutSessions, locks, type Tx } from '@aquoris/db';
import type Stripe from 'stripe';
import type { SubscriberActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { CheckoutInput, VerifyCheckoutInput, type CheckoutResult, type VerifyCheckoutResult } from '../billing/schemas.ts';
import { findCurrentBase, findLiveStripeSubscription, getOwnCheckoutSessionOrThrow } from '../billing/service.ts';
import { ensureStripeCustomer } from '../customers/stripe.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getActivePlanBySlugOrThrow, type PlanRow } from '../plans/service.ts';
import { callStripe, idempotencyKey, withStripe, type StripeDeps } from '../stripe/gateway.ts';
import { fromUnix } from '../stripe/mapping.ts';
import { parseInput } from '../validation.ts';
import { isFreePlanSubscription } from '../subscriptions/free.ts';
import { activateFreePlan } from './free-plan.ts';
import { cancelDuplicateSubscriptions } from './duplicates.ts';
import { fulfilCheckoutInTx, fulfilCheckoutSession, readStripeCheckout } from './fulfil.ts';
import { takeStripeReadTicket } from '../stripe/read-ticket.ts';

/** An open session is reused only while it has at least this long left. */
const REUSE_MARGIN_MS = 10 * 60_000;

/**
 * `billing.checkout.create`. Free plans are activated without Stripe; a
 * subscriber who already pays is sent to the plan-change flow; otherwise a
 * Stripe Checkout Session. A double click or a second tab gets the same open
 * session: creation is serialised per customer by an advisory lock and an
 * open, unexpired session for the same plan is reused.
 */
export async function createCheckout(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<CheckoutResult> {
  const input = parseInput(CheckoutInput, raw);
  const plan = await getActivePlanBySlugOrThrow(deps, input.planSlug);
  if (plan.priceAmount === 0) return activateFreePlan(deps, actor, plan);
  if (await findLiveStripeSubscription(deps.db.kysely, actor)) return { kind: 'plan_change', planSlug: plan.slug };
  const current = await findCurrentBase(deps, deps.db.kysely, actor);
  if (current?.source === 'MANUAL' && !isFreePlanSubscription(current)) {
    // A paid plan arranged with the app's team (a manual grant): buying another would bill for two at once.
    const userMessage = `Your ${current.plan.name} plan was arranged with the app's team and runs until ${current.currentPeriodEnd.toISOString().slice(0, 10)}; contact them to change it.`;
    throw new AppError('SUBSCRIPTION_MANAGED_BY_APP', `A MANUAL ${current.plan.slug} grant, arranged with the app's team, is current`, { userMessage });
  }
  if (!plan.stripePriceId) {
    throw new AppError('PLAN_NOT_PURCHASABLE', `Plan "${plan.slug}" has no Stripe price`, {
      userMessage: `The ${plan.name} plan cannot be bought online yet.`,
    });
  }
  const sdeps = withStripe(deps);
  const stripeCustomerId = await ensureStripeCustomer(deps, actor.customerId);
  const { result, duplicates } = await deps.db.transaction(async (tx): Promise<{ result: CheckoutResult; duplicates: string[] }> => {
    await locks.lockKey(tx, `checkout:${actor.customerId}`);
    const now = deps.clock.now();
    const open = await checkoutSessions.findReusableOpen(tx, actor.customerId, plan.id, new Date(now.getTime() + REUSE_MARGIN_MS));
    if (open?.url) return { result: { kind: 'redirect', url: open.url }, duplicates: [] };
    const others = await settleOtherOpenSessions(sdeps, tx, actor, now);
    // Another tab was paid and not fulfilled yet: it is now, and this subscriber changes plan instead of paying twice.
    if (others.paid) return { result: { kind: 'plan_change', planSlug: plan.slug }, duplicates: others.duplicates };
    return { result: { kind: 'redirect', url: await createStripeSession(sdeps, tx, actor, plan, stripeCustomerId) }, duplicates: [] };
  });
  if (duplicates.length) await cancelDuplicateSubscriptions(sdeps, actor, duplicates);
  return result;
}

async function createStripeSession(deps: StripeDeps, tx: Tx, actor: SubscriberActor, plan: PlanRow, stripeCustomerId: string): Promise<string> {
  // Deterministic while nothing was committed: a retry after a failed database write gets the same Stripe session back.
  const attempt = await checkoutSessions.countForCustomer(tx, actor.customerId);
  const metadata = { customerId: actor.customerId, appId: actor.appId, planId: plan.id, planSlug: plan.slug };
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
  if (!session.url) throw new AppError('PROVIDER_ERROR', 'Stripe returned a Checkout Session without a URL');
  const row = await checkoutSessions.insert(tx, {
    appId: actor.appId,
    customerId: actor.customerId,
    planId: plan.id,
    stripeCheckoutSessionId: session.id,
    url: session.url,
    expiresAt: fromUnix(session.expires_at),
  });
  await recordAudit(tx, actor, {
    action: 'checkout.created',
    targetType: 'checkout_session',
    targetId: row.id,
    details: { plan: plan.slug, stripeCheckoutSessionId: session.id },
  });
  return session.url;
}

/**
 * Another tab's session for another plan would become a second subscription
 * if paid: expire it. One that cannot be expired may have been paid already
 * (Stripe refuses to expire a complete session): it is then fulfilled here,
 * through the same function as the webhook, so the caller sees the
 * subscription and offers a plan change instead of a second Checkout.
 * Fulfilment's duplicate guard still covers a payment this check misses.
 */
async function settleOtherOpenSessions(deps: StripeDeps, tx: Tx, actor: SubscriberActor, now: Date): Promise<{ paid: boolean; duplicates: string[] }> {
  const others = await checkoutSessions.listOpenWithStripe(tx, actor.customerId, now);
  const settled = { paid: false, duplicates: [] as string[] };
  for (const other of others) {
    try {
      await deps.stripe.checkout.sessions.expire(other.stripeCheckoutSessionId!);
      await checkoutSessions.markExpired(tx, other.id);
    } catch (error) {
      deps.log.info({ err: error, checkoutSessionId: other.id }, 'could not expire an older checkout session; checking whether it was paid');
      const ticket = await takeStripeReadTicket(deps);
      const read = await readStripeCheckout(deps, other.stripeCheckoutSessionId!);
      const fulfilled = await fulfilCheckoutInTx(deps, tx, actor, read, ticket);
      if (fulfilled.status === 'complete' && fulfilled.subscription) {
        settled.paid = true;
        settled.duplicates.push(...fulfilled.duplicates);
      }
    }
  }
  return settled;
}

/**
 * `billing.checkout.verify`: when the subscriber comes back from Checkout,
 * fulfil at once from the session (Stripe's recommended fallback), through the
 * same idempotent function the webhook uses.
 */
export async function verifyCheckout(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<VerifyCheckoutResult> {
  const input = parseInput(VerifyCheckoutInput, raw);
  await getOwnCheckoutSessionOrThrow(deps.db.kysely, actor, input.sessionId);
  const result = await fulfilCheckoutSession(withStripe(deps), actor, input.sessionId);
  return { status: result.status, subscription: result.subscription };
}
