import { isUniqueViolation, type Db } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { CreatePlanInput, type ListPlansResponse, type PublicPlan } from './schemas.ts';

export type PlanRow = Awaited<ReturnType<Db['plan']['findUniqueOrThrow']>>;

export function toPublicPlan(p: PlanRow): PublicPlan {
  return { slug: p.slug, name: p.name, priceAmount: p.priceAmount, currency: p.currency, interval: p.interval, trialDays: p.trialDays };
}

const PLAN_ORDER = [{ displayOrder: 'asc' as const }, { priceAmount: 'asc' as const }, { slug: 'asc' as const }];

/** GET /plans: active plans only, in display order. */
export async function listPublicPlans(deps: Pick<Deps, 'db'>): Promise<ListPlansResponse> {
  const plans = await deps.db.prisma.plan.findMany({ where: { active: true }, orderBy: PLAN_ORDER });
  return { plans: plans.map(toPublicPlan) };
}

export async function listAllPlans(deps: Pick<Deps, 'db'>): Promise<PlanRow[]> {
  return deps.db.prisma.plan.findMany({ orderBy: PLAN_ORDER });
}

export async function getActivePlanBySlugOrThrow(deps: Pick<Deps, 'db'>, slug: string): Promise<PlanRow> {
  const plan = await deps.db.prisma.plan.findUnique({ where: { slug } });
  if (!plan || !plan.active) throw new AppError('PLAN_NOT_FOUND', `Plan "${slug}" does not exist`);
  return plan;
}

export async function getPlanBySlugOrThrow(deps: Pick<Deps, 'db'>, slug: string): Promise<PlanRow> {
  const plan = await deps.db.prisma.plan.findUnique({ where: { slug } });
  if (!plan) throw new AppError('PLAN_NOT_FOUND', `Plan "${slug}" does not exist`);
  return plan;
}

export async function createPlan(deps: Deps, actor: OperatorActor, raw: CreatePlanInput): Promise<PlanRow> {
  const input = parseInput(CreatePlanInput, raw);
  try {
    return await deps.db.prisma.$transaction(async (tx) => {
      const displayOrder = input.displayOrder ?? (await tx.plan.count());
      const plan = await tx.plan.create({ data: { ...input, displayOrder } });
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
