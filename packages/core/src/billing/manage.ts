import { customers, planPrices, subscriptions, type SubscriptionWithPlan } from '@aquoris/db';
import type Stripe from 'stripe';
import type { Actor, SubscriberActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getActivePlanBySlugOrThrow, pricePlanOrThrow, type PlanRow } from '../plans/service.ts';
import { callStripe, idempotencyKey, type StripeDeps } from '../stripe/gateway.ts';
import { fromUnix } from '../stripe/mapping.ts';
import { takeStripeReadTicket } from '../stripe/read-ticket.ts';
import { applyStripeSubscription } from '../subscriptions/stripe-sync.ts';
import { parseInput } from '../validation.ts';
import { ConfirmPlanChangeInput, PlanChangeInput, type BillingSubscription, type PlanChangePreview, type PortalResult } from './schemas.ts';
import { findLiveStripeSubscription, toBillingSubscription } from './service.ts';
import { stripeFor, type AccountStripeDeps } from '../stripe-accounts/accounts.ts';
import { stripePriceOf } from '../stripe-accounts/plan-prices.ts';

/** A preview older than this must be made again before it is confirmed. */
const PREVIEW_VALID_SECONDS = 30 * 60;

async function liveSubscriptionOrThrow(deps: Deps, actor: SubscriberActor) {
  const row = await findLiveStripeSubscription(deps.db.kysely, actor);
  if (!row?.stripeSubscriptionId) {
    throw new AppError('SUBSCRIPTION_NOT_FOUND', 'The customer has no Stripe subscription', {
      userMessage: 'You have no subscription that can be changed here.',
    });
  }
  return { ...row, stripeSubscriptionId: row.stripeSubscriptionId };
}

/**
 * The plan at the price changed to: another plan, or the current plan at its other interval (monthly ↔
 * yearly, one policy with every other change). Without `interval`, the plan's price at the subscriber's
 * current interval when it has one, else its default price.
 */
async function targetPlan(
  deps: AccountStripeDeps,
  input: { planSlug: string; billingInterval?: 'month' | 'year' | undefined },
  current: Pick<SubscriptionWithPlan, 'planId' | 'billingInterval'>,
): Promise<PlanRow & { stripePriceId: string }> {
  const base = await getActivePlanBySlugOrThrow(deps, input.planSlug);
  const interval = input.billingInterval ?? (base.id === current.planId ? current.billingInterval : undefined);
  const plan = await pricePlanOrThrow(deps, base, interval ?? (await hasPriceFor(deps, base, current.billingInterval)));
  if (plan.id === current.planId && plan.interval === current.billingInterval) {
    const every = plan.interval === 'year' ? 'yearly' : 'monthly';
    throw new AppError('VALIDATION_ERROR', `planSlug: you are already on the ${every} ${plan.name} plan`, {
      userMessage: `You are already on the ${plan.name} plan, billed ${every}.`,
    });
  }
  if (plan.priceAmount === 0) {
    const userMessage = `To move to ${plan.name}, cancel your subscription: it stays active until the end of the period.`;
    throw new AppError('PLAN_CHANGE_NOT_ALLOWED', `planSlug: ${plan.slug} is a free plan; a paid subscription ends by cancelling it`, { userMessage });
  }
  const stripePriceId = await stripePriceOf(deps, plan);
  if (!stripePriceId) {
    throw new AppError('PLAN_NOT_PURCHASABLE', `Plan "${plan.slug}" has no Stripe price${deps.stripeAccount.configId ? " in this app's Stripe account" : ''}`, {
      userMessage: `The ${plan.name} plan cannot be bought online yet.`,
    });
  }
  return { ...plan, stripePriceId };
}

/** The subscriber's current interval when the plan is sold at it (a monthly subscriber moves to the monthly price), else none. */
async function hasPriceFor(deps: Deps, plan: PlanRow, interval: 'month' | 'year'): Promise<'month' | 'year' | undefined> {
  return (await planPrices.find(deps.db.kysely, plan.id, interval)) ? interval : undefined;
}

const monthly = (p: Pick<PlanRow, 'priceAmount' | 'interval'>) => (p.interval === 'year' ? p.priceAmount / 12 : p.priceAmount);

function itemChange(sub: Stripe.Subscription, priceId: string, prorationDate: number) {
  const item = sub.items.data[0];
  if (!item) throw new AppError('PROVIDER_ERROR', 'Stripe subscription has no items');
  return { items: [{ id: item.id, price: priceId }], proration_behavior: 'always_invoice' as const, proration_date: prorationDate };
}

/** `billing.planChange.preview`: what changing now would charge, from Stripe's own invoice preview. */
export async function previewPlanChange(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<PlanChangePreview> {
  const input = parseInput(PlanChangeInput, raw);
  const sdeps = await stripeFor(deps, actor.appId);
  const current = await liveSubscriptionOrThrow(deps, actor);
  const plan = await targetPlan(sdeps, input, current);
  const sub = await callStripe(deps, 'subscription retrieve', () => sdeps.stripe.subscriptions.retrieve(current.stripeSubscriptionId));
  const periodStart = sub.items.data[0]?.current_period_start ?? 0;
  const prorationDate = Math.max(Math.floor(deps.clock.now().getTime() / 1000), periodStart);
  const preview = await callStripe(deps, 'invoice preview', () =>
    sdeps.stripe.invoices.createPreview({
      customer: idOfCustomer(sub),
      subscription: sub.id,
      subscription_details: itemChange(sub, plan.stripePriceId, prorationDate),
    }),
  );
  const sameInterval = plan.interval === current.plan.interval;
  const renewal = sameInterval ? (sub.items.data[0]?.current_period_end ?? prorationDate) : addInterval(prorationDate, plan.interval);
  const diff = monthly(plan) - monthly(current.plan);
  return {
    fromPlan: { slug: current.plan.slug, name: current.plan.name },
    toPlan: { slug: plan.slug, name: plan.name, priceAmount: plan.priceAmount, currency: plan.currency, interval: plan.interval },
    direction: diff > 0 ? 'upgrade' : diff < 0 ? 'downgrade' : 'same_price',
    amountDueNow: preview.amount_due,
    currency: plan.currency,
    lines: preview.lines.data.map((line) => previewLine(line, plan, current.plan.name)),
    prorationDate,
    nextRenewalAt: fromUnix(renewal).toISOString(),
    startsNewPeriod: !sameInterval,
  };
}

/** One invoice line as data: which plan (by its price), credit or charge, the period; no Stripe wording. */
function previewLine(line: Stripe.InvoiceLineItem, target: PlanRow & { stripePriceId: string }, currentPlanName: string): PlanChangePreview['lines'][number] {
  const priceId = line.pricing?.price_details?.price;
  const price = typeof priceId === 'string' ? priceId : priceId?.id;
  const proration = line.parent?.subscription_item_details?.proration ?? false;
  return {
    kind: !proration ? 'period' : line.amount < 0 ? 'unused' : 'remaining',
    planName: price === target.stripePriceId ? target.name : currentPlanName,
    periodStart: fromUnix(line.period.start).toISOString(),
    periodEnd: fromUnix(line.period.end).toISOString(),
    amount: line.amount,
  };
}

const idOfCustomer = (sub: Stripe.Subscription) => (typeof sub.customer === 'string' ? sub.customer : sub.customer.id);

function addInterval(unix: number, interval: 'month' | 'year'): number {
  const d = fromUnix(unix);
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return Math.floor(d.getTime() / 1000);
}

/**
 * Applies one Stripe change to the subscription and mirrors it in our database at once (the webhook
 * confirms it later), with one audit entry for the actor: the subscriber's own pages and the
 * operator's actions share it.
 */
export async function applyStripeSubscriptionChange(
  deps: StripeDeps,
  actor: Actor,
  stripeSubscriptionId: string,
  action: string,
  details: Record<string, unknown>,
  change: (sub: Stripe.Subscription) => Promise<Stripe.Subscription>,
): Promise<SubscriptionWithPlan> {
  // Stripe first, with no transaction open: the update answers the new state, applied like any read (read-ticket.ts).
  const ticket = await takeStripeReadTicket(deps);
  const sub = await callStripe(deps, 'subscription retrieve', () => deps.stripe.subscriptions.retrieve(stripeSubscriptionId));
  const updated = await callStripe(deps, 'subscription update', () => change(sub));
  return deps.db.transaction(async (tx) => {
    const synced = await applyStripeSubscription(deps, tx, updated, ticket);
    if (!synced.subscription) throw new AppError('SUBSCRIPTION_NOT_FOUND', 'Subscription not found');
    await recordAudit(tx, actor, { action, targetType: 'subscription', targetId: synced.subscription.id, details });
    const row = await subscriptions.findByIdWithPlan(tx, synced.subscription.id);
    if (!row) throw new AppError('SUBSCRIPTION_NOT_FOUND', 'Subscription not found');
    return row;
  });
}

/** applyStripeSubscriptionChange for the subscriber's own pages, answered as the billing pages' view. */
const applyChange = async (...args: Parameters<typeof applyStripeSubscriptionChange>): Promise<BillingSubscription> =>
  toBillingSubscription(await applyStripeSubscriptionChange(...args));

/** `billing.planChange.confirm`: swaps the price with proration, billed now, at the preview's proration date. */
export async function confirmPlanChange(deps: Deps, actor: SubscriberActor, raw: unknown): Promise<BillingSubscription> {
  const input = parseInput(ConfirmPlanChangeInput, raw);
  const sdeps = await stripeFor(deps, actor.appId);
  const current = await liveSubscriptionOrThrow(deps, actor);
  const plan = await targetPlan(sdeps, input, current);
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  if (input.prorationDate > now + 60 || input.prorationDate < now - PREVIEW_VALID_SECONDS) {
    throw new AppError('VALIDATION_ERROR', 'prorationDate: this preview has expired; preview the change again', {
      userMessage: 'This preview has expired. Preview the change again.',
    });
  }
  const details = {
    from: current.plan.slug,
    to: plan.slug,
    fromInterval: current.billingInterval,
    toInterval: plan.interval,
    prorationDate: input.prorationDate,
  };
  return applyChange(sdeps, actor, current.stripeSubscriptionId, 'subscription.plan_changed', details, (sub) => {
    // error_if_incomplete: a declined card rejects the whole change instead of leaving it half-paid.
    const params: Stripe.SubscriptionUpdateParams = { ...itemChange(sub, plan.stripePriceId, input.prorationDate), payment_behavior: 'error_if_incomplete' };
    return sdeps.stripe.subscriptions.update(sub.id, params, {
      idempotencyKey: idempotencyKey(`aqb-plan-change-${sub.id}-${plan.id}-${plan.interval}-${input.prorationDate}`, params),
    });
  });
}

/** `billing.subscription.cancel` (at period end) and `billing.subscription.resume`. */
export async function setCancelAtPeriodEnd(deps: Deps, actor: SubscriberActor, cancel: boolean): Promise<BillingSubscription> {
  const sdeps = await stripeFor(deps, actor.appId);
  const current = await liveSubscriptionOrThrow(deps, actor);
  return applyChange(sdeps, actor, current.stripeSubscriptionId, cancel ? 'subscription.cancel_requested' : 'subscription.resumed', {}, (sub) =>
    sdeps.stripe.subscriptions.update(sub.id, { cancel_at_period_end: cancel }),
  );
}

/** `billing.portal.create`: Stripe's customer portal, returning to /billing. */
export async function createPortalSession(deps: Deps, actor: SubscriberActor): Promise<PortalResult> {
  const sdeps = await stripeFor(deps, actor.appId);
  const customer = await customers.findInApp(deps.db.kysely, actor.appId, actor.customerId);
  const stripeCustomerId = customer?.stripeCustomerId;
  const userMessage = 'There is no billing account to manage yet: subscribe to a plan first.';
  if (!stripeCustomerId) throw new AppError('NO_BILLING_ACCOUNT', 'The customer has no Stripe customer yet', { userMessage });
  return openBillingPortal(sdeps, stripeCustomerId, `${deps.config.publicUrl}/billing`);
}

/** A Stripe Customer Portal session for one Stripe customer; the subscriber pages and the REST route share it. */
export async function openBillingPortal(deps: StripeDeps, stripeCustomerId: string, returnUrl: string): Promise<PortalResult> {
  const session = await callStripe(deps, 'billing portal session create', () =>
    deps.stripe.billingPortal.sessions.create({ customer: stripeCustomerId, return_url: returnUrl }),
  );
  return { url: session.url };
}
