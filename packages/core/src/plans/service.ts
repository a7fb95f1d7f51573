import { isUniqueViolation, planPrices, plans, type PlanInterval, type PlanPriceRow, type PlanRow } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { CreatePlanInput, type ListPlansResponse, type PublicPlan, type PublicPlanPrice } from './schemas.ts';

export type { PlanRow };

const toPublicPrice = (p: PlanPriceRow): PublicPlanPrice => ({ interval: p.interval, priceAmount: p.amount, currency: p.currency });

export function toPublicPlan(p: PlanRow, prices: readonly PlanPriceRow[]): PublicPlan {
  return {
    slug: p.slug,
    name: p.name,
    priceAmount: p.priceAmount,
    currency: p.currency,
    interval: p.interval,
    trialDays: p.trialDays,
    prices: prices.filter((price) => price.planId === p.id).map(toPublicPrice),
  };
}

/** GET /plans: active plans only, in display order, each with its prices. */
export async function listPublicPlans(deps: Pick<Deps, 'db'>): Promise<ListPlansResponse> {
  const rows = await plans.list(deps.db.kysely, { active: true });
  const prices = await planPrices.listForPlans(
    deps.db.kysely,
    rows.map((p) => p.id),
  );
  return { plans: rows.map((p) => toPublicPlan(p, prices)) };
}

const intervalWord = (interval: PlanInterval) => (interval === 'year' ? 'yearly' : 'monthly');

/** The plan with the price fields of one of its prices: `price`'s amount, currency, interval and Stripe price. */
export const withPrice = (plan: PlanRow, price: PlanPriceRow): PlanRow => ({
  ...plan,
  priceAmount: price.amount,
  currency: price.currency,
  interval: price.interval,
  stripePriceId: price.stripePriceId,
});

/**
 * The plan priced at its price for `interval` (checkout, plan change), or at its default price when no
 * interval is asked for (the monthly one when it has one, else the only one). A plan not sold at that
 * interval is a clear 422.
 */
export async function pricePlanOrThrow(deps: Pick<Deps, 'db'>, plan: PlanRow, interval: PlanInterval | undefined): Promise<PlanRow> {
  const prices = await planPrices.listForPlans(deps.db.kysely, [plan.id]);
  const price = interval ? prices.find((p) => p.interval === interval) : planPrices.defaultPrice(prices);
  if (!price) {
    const asked = interval ?? plan.interval;
    throw new AppError('PLAN_INTERVAL_UNAVAILABLE', `billingInterval: plan "${plan.slug}" has no ${intervalWord(asked)} price`, {
      userMessage: `The ${plan.name} plan is not sold ${intervalWord(asked)}.`,
      details: { fields: { billingInterval: `the ${plan.name} plan has no ${intervalWord(asked)} price` } },
    });
  }
  return withPrice(plan, price);
}

export async function listAllPlans(deps: Pick<Deps, 'db'>): Promise<PlanRow[]> {
  return plans.list(deps.db.kysely);
}

export async function getActivePlanBySlugOrThrow(deps: Pick<Deps, 'db'>, slug: string): Promise<PlanRow> {
  const plan = await plans.findBySlug(deps.db.kysely, slug);
  if (!plan || !plan.active) throw new AppError('PLAN_NOT_FOUND', `Plan "${slug}" does not exist`);
  return plan;
}

export async function getPlanBySlugOrThrow(deps: Pick<Deps, 'db'>, slug: string): Promise<PlanRow> {
  const plan = await plans.findBySlug(deps.db.kysely, slug);
  if (!plan) throw new AppError('PLAN_NOT_FOUND', `Plan "${slug}" does not exist`);
  return plan;
}

/** A plan a subscriber can be offered: free, or paid with a Stripe price to buy it at. */
export function isPurchasable(plan: Pick<PlanRow, 'priceAmount' | 'stripePriceId'>): boolean {
  return plan.priceAmount === 0 || plan.stripePriceId !== null;
}

export interface CreatePlanOptions {
  /** The caller gives the plan its Stripe price next (`createPlanWithStripePrice`, `--create-stripe-price`). */
  stripePriceToFollow?: boolean;
}

/**
 * Creates a plan. An active paid plan needs a Stripe price: given (`stripePriceId`), or created next
 * (`stripePriceToFollow`); otherwise it would be offered to every subscriber and fail at checkout, so it is
 * refused. An inactive one may wait for its price.
 */
export async function createPlan(deps: Deps, actor: OperatorActor, raw: CreatePlanInput, options: CreatePlanOptions = {}): Promise<PlanRow> {
  const input = parseInput(CreatePlanInput, raw);
  const { otherPrice, ...fields } = input;
  if (otherPrice && input.priceAmount === 0) throw new AppError('VALIDATION_ERROR', `otherPrice: plan "${input.slug}" is free: a free plan has one price`);
  if (input.active && !options.stripePriceToFollow && otherPrice && !otherPrice.stripePriceId) {
    throw new AppError(
      'VALIDATION_ERROR',
      `otherPrice.stripePriceId: plan "${input.slug}" is active; give its other price a Stripe price too, or have both created (--create-stripe-price)`,
    );
  }
  if (input.priceAmount > 0 && input.active && !input.stripePriceId && !options.stripePriceToFollow) {
    throw new AppError(
      'VALIDATION_ERROR',
      `stripePriceId: plan "${input.slug}" is paid and active but has no Stripe price; give one (--stripe-price-id), have it created (--create-stripe-price), or create the plan inactive (--inactive)`,
    );
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const displayOrder = input.displayOrder ?? (await plans.count(tx));
      const plan = await plans.insert(tx, { ...fields, displayOrder });
      if (otherPrice) {
        await planPrices.upsert(tx, plan.id, {
          interval: plan.interval === 'month' ? 'year' : 'month',
          amount: otherPrice.priceAmount,
          currency: plan.currency,
          stripePriceId: otherPrice.stripePriceId ?? null,
        });
      }
      await recordAudit(tx, actor, {
        action: 'plan.created',
        targetType: 'plan',
        targetId: plan.id,
        details: { slug: plan.slug, priceAmount: plan.priceAmount, currency: plan.currency, ...(otherPrice ? { otherPrice } : {}) },
      });
      return plan;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('PLAN_ALREADY_EXISTS', `A plan with slug "${input.slug}" or that Stripe price already exists`);
    throw error;
  }
}
