import { plans } from '@aquoris/db';
import type Stripe from 'stripe';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError, toAppError, type ErrorCode } from '../errors.ts';
import { callStripe, idempotencyKey, isStripeResourceMissing, withStripe, type StripeDeps } from '../stripe/gateway.ts';
import { createPlan, getPlanBySlugOrThrow, listAllPlans, type PlanRow } from './service.ts';
import type { CreatePlanInput } from './schemas.ts';

async function retrieveOrNull<T>(deps: StripeDeps, operation: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (isStripeResourceMissing(error)) return null;
    return callStripe(deps, operation, () => Promise.reject(error));
  }
}

function priceMatches(price: Stripe.Price, plan: PlanRow): boolean {
  return price.active && price.unit_amount === plan.priceAmount && price.currency === plan.currency && price.recurring?.interval === plan.interval;
}

/**
 * Gives a paid plan a Stripe product and recurring price, or checks the ones
 * it has. Idempotent: an existing price that matches is kept; a missing one
 * (e.g. a restarted emulator) is created again; a price that no longer matches
 * the plan is an error for the operator (Stripe prices are immutable).
 */
export async function syncPlanToStripe(deps: Deps, actor: OperatorActor, slug: string): Promise<PlanRow> {
  const sdeps = withStripe(deps);
  const plan = await getPlanBySlugOrThrow(deps, slug);
  if (plan.priceAmount === 0) throw new AppError('VALIDATION_ERROR', `Plan "${slug}" is free: free plans never use Stripe`);
  if (plan.stripePriceId) {
    const price = await retrieveOrNull(sdeps, 'price retrieve', () => sdeps.stripe.prices.retrieve(plan.stripePriceId!));
    if (price && priceMatches(price, plan)) return plan;
    if (price) {
      throw new AppError(
        'STRIPE_PRICE_MISMATCH',
        `Stripe price ${price.id} does not match plan "${slug}" (amount, currency, interval or active): create a new price and set it on the plan`,
      );
    }
    deps.log.warn({ plan: slug, stripePriceId: plan.stripePriceId }, 'Stripe price of the plan is missing; creating it again');
  }
  const productId = await ensureProduct(sdeps, plan);
  const price = await callStripe(deps, 'price create', () =>
    sdeps.stripe.prices.create(
      {
        product: productId,
        unit_amount: plan.priceAmount,
        currency: plan.currency,
        recurring: { interval: plan.interval },
        nickname: plan.name,
        metadata: { planId: plan.id, planSlug: plan.slug },
      },
      { idempotencyKey: `aqb-price-${plan.id}-${productId}-${plan.priceAmount}-${plan.currency}-${plan.interval}` },
    ),
  );
  return deps.db.transaction(async (tx) => {
    const updated = await plans.setStripePrice(tx, plan.id, { stripePriceId: price.id, stripeProductId: productId });
    await recordAudit(tx, actor, {
      action: 'plan.stripe_price_created',
      targetType: 'plan',
      targetId: plan.id,
      details: { slug, stripePriceId: price.id, stripeProductId: productId },
    });
    return updated;
  });
}

async function ensureProduct(deps: StripeDeps, plan: PlanRow): Promise<string> {
  if (plan.stripeProductId) {
    const product = await retrieveOrNull(deps, 'product retrieve', () => deps.stripe.products.retrieve(plan.stripeProductId!));
    if (product && !('deleted' in product && product.deleted)) return product.id;
  }
  const params: Stripe.ProductCreateParams = {
    name: plan.name,
    ...(plan.description ? { description: plan.description } : {}),
    metadata: { planId: plan.id, planSlug: plan.slug },
  };
  const product = await callStripe(deps, 'product create', () =>
    deps.stripe.products.create(params, { idempotencyKey: idempotencyKey(`aqb-product-${plan.id}-${plan.stripeProductId ?? 'first'}`, params) }),
  );
  return product.id;
}

/** Creates a plan and, for a paid plan, its Stripe product and price (`plans:create --create-stripe-price`). */
export async function createPlanWithStripePrice(deps: Deps, actor: OperatorActor, input: CreatePlanInput): Promise<PlanRow> {
  if (input.stripePriceId) throw new AppError('VALIDATION_ERROR', 'stripePriceId: give an existing price or ask for one to be created, not both');
  withStripe(deps);
  // Until its price exists (a Stripe failure here leaves it without one), isPurchasable keeps it off the subscriber pages.
  const plan = await createPlan(deps, actor, input, { stripePriceToFollow: true });
  return plan.priceAmount === 0 ? plan : syncPlanToStripe(deps, actor, plan.slug);
}

export interface PlanSyncReport {
  /** Paid plans whose Stripe price is there and matches (created again where it was missing). */
  synced: PlanRow[];
  /** Paid plans that could not be synced, with the reason (a mismatched price, Stripe failing). */
  failed: Array<{ slug: string; code: ErrorCode; message: string }>;
}

/**
 * `plans:sync-stripe` without `--slug`, and the seed: checks every paid plan's price (active or not), one
 * after another; a failure of one plan is reported and the others still run.
 */
export async function syncAllPlansToStripe(deps: Deps, actor: OperatorActor): Promise<PlanSyncReport> {
  withStripe(deps);
  const report: PlanSyncReport = { synced: [], failed: [] };
  for (const plan of await listAllPlans(deps)) {
    if (plan.priceAmount === 0) continue;
    try {
      report.synced.push(await syncPlanToStripe(deps, actor, plan.slug));
    } catch (error) {
      const appError = toAppError(error);
      report.failed.push({ slug: plan.slug, code: appError.code, message: appError.message });
    }
  }
  return report;
}
