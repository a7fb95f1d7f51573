import { isUniqueViolation, plans, type PlanRow } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { CreatePlanInput, type ListPlansResponse, type PublicPlan } from './schemas.ts';

export type { PlanRow };

export function toPublicPlan(p: PlanRow): PublicPlan {
  return { slug: p.slug, name: p.name, priceAmount: p.priceAmount, currency: p.currency, interval: p.interval, trialDays: p.trialDays };
}

/** GET /plans: active plans only, in display order. */
export async function listPublicPlans(deps: Pick<Deps, 'db'>): Promise<ListPlansResponse> {
  return { plans: (await plans.list(deps.db.kysely, { active: true })).map(toPublicPlan) };
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
  if (input.priceAmount > 0 && input.active && !input.stripePriceId && !options.stripePriceToFollow) {
    throw new AppError(
      'VALIDATION_ERROR',
      `stripePriceId: plan "${input.slug}" is paid and active but has no Stripe price; give one (--stripe-price-id), have it created (--create-stripe-price), or create the plan inactive (--inactive)`,
    );
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const displayOrder = input.displayOrder ?? (await plans.count(tx));
      const plan = await plans.insert(tx, { ...input, displayOrder });
      await recordAudit(tx, actor, {
        action: 'plan.created',
        targetType: 'plan',
        targetId: plan.id,
        details: { slug: plan.slug, priceAmount: plan.priceAmount, currency: plan.currency },
      });
      return plan;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('PLAN_ALREADY_EXISTS', `A plan with slug "${input.slug}" or that Stripe price already exists`);
    throw error;
  }
}
