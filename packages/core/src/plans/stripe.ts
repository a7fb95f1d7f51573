import { planPrices, plans } from '@aquoris/db';
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

type PriceTerms = Pick<PlanRow, 'priceAmount' | 'currency' | 'interval'>;

function priceMatches(price: Stripe.Price, terms: PriceTerms): boolean {
  return price.active && price.unit_amount === terms.priceAmount && price.currency === terms.currency && price.recurring?.interval === terms.interval;
}

/**
 * The Stripe price of one of the plan's prices: the one it has when it matches (with its product), null when
 * it has none or Stripe lost it (it is created again); a price that no longer matches is the operator's to fix.
 */
async function existingPrice(deps: StripeDeps, slug: string, stripePriceId: string | null, terms: PriceTerms): Promise<Stripe.Price | null> {
  if (!stripePriceId) return null;
  const price = await retrieveOrNull(deps, 'price retrieve', () => deps.stripe.prices.retrieve(stripePriceId));
  if (price && priceMatches(price, terms)) return price;
  if (price) {
    throw new AppError(
      'STRIPE_PRICE_MISMATCH',
      `Stripe price ${price.id} does not match plan "${slug}" ${terms.interval}ly price (amount, currency, interval or active): create a new price and set it on the plan`,
    );
  }
  deps.log.warn({ plan: slug, stripePriceId }, 'Stripe price of the plan is missing; creating it again');
  return null;
}

async function createPrice(deps: StripeDeps, plan: PlanRow, productId: string, terms: PriceTerms): Promise<string> {
  const price = await callStripe(deps, 'price create', () =>
    deps.stripe.prices.create(
      {
        product: productId,
        unit_amount: terms.priceAmount,
        currency: terms.currency,
        recurring: { interval: terms.interval },
        nickname: terms.interval === plan.interval ? plan.name : `${plan.name} (${terms.interval}ly)`,
        metadata: { planId: plan.id, planSlug: plan.slug },
      },
      { idempotencyKey: `aqb-price-${plan.id}-${productId}-${terms.priceAmount}-${terms.currency}-${terms.interval}` },
    ),
  );
  return price.id;
}

const productOf = (price: Stripe.Price) => (typeof price.product === 'string' ? price.product : price.product.id);

/**
 * Gives a paid plan a Stripe product and a recurring price for each of its prices (the default one and the
 * other interval's), or checks the ones it has. Idempotent: an existing price that matches is kept; a missing
 * one (e.g. a restarted emulator) is created again; a price that no longer matches is an error for the
 * operator (Stripe prices are immutable). What it creates is one audit entry.
 */
export async function syncPlanToStripe(deps: Deps, actor: OperatorActor, slug: string): Promise<PlanRow> {
  const sdeps = withStripe(deps);
  const plan = await getPlanBySlugOrThrow(deps, slug);
  if (plan.priceAmount === 0) throw new AppError('VALIDATION_ERROR', `Plan "${slug}" is free: free plans never use Stripe`);
  const other = (await planPrices.listForPlans(deps.db.kysely, [plan.id])).find((p) => p.interval !== plan.interval);
  const otherTerms = other ? { priceAmount: other.amount, currency: other.currency, interval: other.interval } : null;
  const current = await existingPrice(sdeps, slug, plan.stripePriceId, plan);
  const currentOther = other && otherTerms ? await existingPrice(sdeps, slug, other.stripePriceId, otherTerms) : null;
  if (current && (!other || currentOther)) return plan;

  const existing = current ?? currentOther;
  const productId = existing ? productOf(existing) : await ensureProduct(sdeps, plan);
  const stripePriceId = current?.id ?? (await createPrice(sdeps, plan, productId, plan));
  const otherStripePriceId = other && otherTerms && !currentOther ? await createPrice(sdeps, plan, productId, otherTerms) : null;
  return deps.db.transaction(async (tx) => {
    let updated = plan;
    if (!current) updated = await plans.setStripePrice(tx, plan.id, { stripePriceId, stripeProductId: productId });
    if (other && otherStripePriceId) await planPrices.setStripePrice(tx, other.id, otherStripePriceId);
    await recordAudit(tx, actor, {
      action: 'plan.stripe_price_created',
      targetType: 'plan',
      targetId: plan.id,
      details: {
        slug,
        stripePriceId,
        stripeProductId: productId,
        ...(other ? { otherPrice: { interval: other.interval, stripePriceId: otherStripePriceId ?? other.stripePriceId } } : {}),
      },
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
