import { planStripePrices, plans, type PlanRow } from '@aquoris/db';
import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { checkStripePrice } from '../plans/admin.ts';
import { getPlanBySlugOrThrow } from '../plans/service.ts';
import { parseInput } from '../validation.ts';
import { modeOf, stripeForEventAccount, type AccountStripeDeps } from './accounts.ts';
import { SetPlanStripePriceInput, type PlanStripePriceView } from './schemas.ts';

/**
 * The Stripe price a plan bills at in the account deps are bound to: the plan's own price on the platform
 * account, the app's mapping (app, mode, plan, interval) on its own account; null when there is none.
 */
export async function stripePriceOf(deps: AccountStripeDeps, plan: Pick<PlanRow, 'id' | 'interval' | 'stripePriceId'>): Promise<string | null> {
  const { appId, configId, livemode } = deps.stripeAccount;
  if (!appId || !configId) return plan.stripePriceId;
  const row = await planStripePrices.find(deps.db.kysely, { appId, mode: modeOf(livemode), planId: plan.id, interval: plan.interval });
  return row?.stripePriceId ?? null;
}

/**
 * Maps a plan to a price in the app's own Stripe account, for one mode and interval, checked against that
 * account first (exists, active, recurring, amount, currency and interval the plan's: checkStripePrice).
 * One audit entry.
 */
export async function setPlanStripePrice(deps: Deps, actor: Actor, appId: string, raw: unknown): Promise<PlanStripePriceView> {
  const input = parseInput(SetPlanStripePriceInput, raw);
  const plan = await getPlanBySlugOrThrow(deps, input.planSlug);
  const interval = input.interval ?? plan.interval;
  const sdeps = await stripeForEventAccount(deps, { appId, livemode: input.mode === 'live' });
  await checkStripePrice(sdeps, { stripePriceId: input.stripePriceId, priceAmount: plan.priceAmount, currency: plan.currency, interval });
  const row = await deps.db.transaction(async (tx) => {
    const saved = await planStripePrices.upsert(tx, { appId, mode: input.mode, planId: plan.id, interval }, input.stripePriceId);
    await recordAudit(tx, actor, {
      action: 'app.plan_stripe_price.set',
      targetType: 'app',
      targetId: appId,
      details: { plan: plan.slug, mode: input.mode, interval, stripePriceId: input.stripePriceId },
    });
    return saved;
  });
  return { planSlug: plan.slug, mode: row.mode, interval: row.interval, stripePriceId: row.stripePriceId };
}

export async function listPlanStripePrices(deps: Pick<Deps, 'db'>, appId: string): Promise<PlanStripePriceView[]> {
  const [rows, all] = await Promise.all([planStripePrices.listForApp(deps.db.kysely, appId), plans.list(deps.db.kysely)]);
  const slugs = new Map(all.map((p) => [p.id, p.slug]));
  return rows.map((r) => {
    const planSlug = slugs.get(r.planId);
    if (!planSlug) throw new AppError('INTERNAL_ERROR', `plan ${r.planId} of a price mapping is missing`);
    return { planSlug, mode: r.mode, interval: r.interval, stripePriceId: r.stripePriceId };
  });
}
