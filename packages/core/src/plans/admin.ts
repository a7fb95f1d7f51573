import { isUniqueViolation, planPrices, plans, type PlanPriceRow, type PlanRow, type Tx } from '@aquoris/db';
import type { AdminActor, OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { formatMoney } from '../money.ts';
import { callStripe, isStripeResourceMissing } from '../stripe/gateway.ts';
import { boundStripe } from '../stripe-accounts/accounts.ts';
import { parseInput } from '../validation.ts';
import { AdminCreatePlanInput, AdminUpdatePlanInput, SetPlanActiveInput, type AdminPlanView, type OtherPriceInput } from './admin-schemas.ts';
import { getPlanBySlugOrThrow } from './service.ts';

export function toAdminPlanView(plan: PlanRow, prices: readonly PlanPriceRow[]): AdminPlanView {
  return {
    id: plan.id,
    slug: plan.slug,
    name: plan.name,
    priceAmount: plan.priceAmount,
    currency: plan.currency,
    interval: plan.interval,
    stripePriceId: plan.stripePriceId,
    prices: prices
      .filter((p) => p.planId === plan.id)
      .map((p) => ({ interval: p.interval, priceAmount: p.amount, currency: p.currency, stripePriceId: p.stripePriceId })),
    active: plan.active,
    createdAt: plan.createdAt.toISOString(),
  };
}

async function adminView(db: Deps['db']['kysely'] | Tx, plan: PlanRow): Promise<AdminPlanView> {
  return toAdminPlanView(plan, await planPrices.listForPlans(db, [plan.id]));
}

export async function listPlansForAdmin(deps: Pick<Deps, 'db'>): Promise<AdminPlanView[]> {
  const rows = await plans.list(deps.db.kysely);
  const prices = await planPrices.listForPlans(
    deps.db.kysely,
    rows.map((p) => p.id),
  );
  return rows.map((p) => toAdminPlanView(p, prices));
}

const otherInterval = (interval: 'month' | 'year') => (interval === 'month' ? 'year' : 'month');

/**
 * The plan's other price (the yearly one beside a monthly price, or the other way round), checked against
 * Stripe like the first; its field errors are named `otherPrice.<field>`.
 */
async function checkOtherPrice(deps: Deps, interval: 'month' | 'year', other: OtherPriceInput): Promise<void> {
  if (!other.stripePriceId) return;
  try {
    await checkStripePrice(deps, { ...other, interval: otherInterval(interval), stripePriceId: other.stripePriceId });
  } catch (error) {
    const fields = error instanceof AppError ? (error.details?.fields as Record<string, string> | undefined) : undefined;
    if (!fields || !(error instanceof AppError)) throw error;
    throw new AppError(error.code, error.message, { details: { fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [`otherPrice.${k}`, v])) } });
  }
}

/** Writes the plan's other price: set (null Stripe price allowed while inactive), removed (null), or kept (undefined). */
async function writeOtherPrice(tx: Tx, planId: string, interval: 'month' | 'year', other: OtherPriceInput | null | undefined): Promise<void> {
  if (other === undefined) return;
  const at = otherInterval(interval);
  if (other === null) return planPrices.remove(tx, planId, at);
  await planPrices.upsert(tx, planId, { interval: at, amount: other.priceAmount, currency: other.currency, stripePriceId: other.stripePriceId });
}

type PriceTerms = Pick<PlanRow, 'priceAmount' | 'currency' | 'interval'> & { stripePriceId: string };

/** `fieldMessage` follows the field's label on the form ("Currency differs from the Stripe price, which is in USD"). */
function mismatch(field: string, fieldMessage: string, message: string): AppError {
  return new AppError('STRIPE_PRICE_MISMATCH', message, { details: { fields: { [field]: fieldMessage } } });
}

/**
 * Checks a Stripe price against the plan it is set on: it must exist, be active and recurring, and its amount,
 * currency and interval must be the plan's. The error names the field that disagrees. Returns the price's product.
 */
export async function checkStripePrice(deps: Deps, terms: PriceTerms): Promise<{ stripeProductId: string }> {
  // The account of deps: an app's own when bound by stripeFor (plan-prices.ts), else the platform's.
  const sdeps = boundStripe(deps);
  let price;
  try {
    price = await sdeps.stripe.prices.retrieve(terms.stripePriceId);
  } catch (error) {
    if (!isStripeResourceMissing(error)) return callStripe(deps, 'price retrieve', () => Promise.reject(error));
    throw mismatch('stripePriceId', 'is not a price in Stripe', `Stripe has no price ${terms.stripePriceId}`);
  }
  const id = terms.stripePriceId;
  if (!price.active) throw mismatch('stripePriceId', 'is archived in Stripe', `Stripe price ${id} is archived`);
  if (!price.recurring) throw mismatch('stripePriceId', 'is a one-time price in Stripe, not a recurring one', `Stripe price ${id} is not recurring`);
  if (price.currency !== terms.currency) {
    throw mismatch(
      'currency',
      `differs from the Stripe price, which is in ${price.currency.toUpperCase()}`,
      `Stripe price ${id} is in ${price.currency}, the plan in ${terms.currency}`,
    );
  }
  if (price.unit_amount !== terms.priceAmount) {
    const stripeAmount = price.unit_amount === null ? 'not a fixed amount' : `${price.unit_amount} (${formatMoney(price.unit_amount, terms.currency)})`;
    throw mismatch(
      'priceAmount',
      `differs from the Stripe price, which is ${stripeAmount}`,
      `Stripe price ${id} is ${stripeAmount}, the plan ${terms.priceAmount}`,
    );
  }
  if (price.recurring.interval !== terms.interval || price.recurring.interval_count !== 1) {
    const every = `${price.recurring.interval_count === 1 ? '' : `${price.recurring.interval_count} `}${price.recurring.interval}`;
    throw mismatch(
      'interval',
      `differs from the Stripe price, which bills every ${every}`,
      `Stripe price ${id} bills every ${every}, the plan every ${terms.interval}`,
    );
  }
  return { stripeProductId: typeof price.product === 'string' ? price.product : price.product.id };
}

function duplicate(error: unknown, slug: string): never {
  if (isUniqueViolation(error)) {
    const onSlug = String((error as { constraint?: string }).constraint ?? '').includes('slug');
    throw new AppError('PLAN_ALREADY_EXISTS', `A plan with slug "${slug}" or that Stripe price already exists`, {
      details: { fields: onSlug ? { slug: 'a plan with this slug already exists' } : { stripePriceId: 'another plan already uses this Stripe price' } },
    });
  }
  throw error;
}

/** The console's "Create plan": a Stripe Price ID, if given, is checked against Stripe before anything is written. */
export async function createPlanAsAdmin(deps: Deps, actor: AdminActor, raw: AdminCreatePlanInput): Promise<AdminPlanView> {
  const { otherPrice, ...input } = parseInput(AdminCreatePlanInput, raw);
  const stripe = input.stripePriceId ? await checkStripePrice(deps, { ...input, stripePriceId: input.stripePriceId }) : null;
  if (otherPrice) await checkOtherPrice(deps, input.interval, otherPrice);
  try {
    return await deps.db.transaction(async (tx) => {
      const inserted = await plans.insert(tx, { ...input, stripeProductId: stripe?.stripeProductId ?? null, displayOrder: await plans.count(tx) });
      await writeOtherPrice(tx, inserted.id, input.interval, otherPrice);
      const row = (await plans.findById(tx, inserted.id))!;
      await recordAudit(tx, actor, {
        action: 'plan.created',
        targetType: 'plan',
        targetId: row.id,
        details: {
          slug: row.slug,
          priceAmount: input.priceAmount,
          currency: input.currency,
          interval: input.interval,
          stripePriceId: input.stripePriceId,
          otherPrice: otherPrice ?? null,
        },
      });
      return adminView(tx, row);
    });
  } catch (error) {
    return duplicate(error, input.slug);
  }
}

/** The console's plan edit (the slug names the plan and does not change); a Stripe Price ID is checked as on create. */
export async function updatePlanAsAdmin(deps: Deps, actor: AdminActor | OperatorActor, raw: AdminUpdatePlanInput): Promise<AdminPlanView> {
  const { slug, otherPrice, ...changes } = parseInput(AdminUpdatePlanInput, raw);
  const plan = await getPlanBySlugOrThrow(deps, slug);
  const stripe = changes.stripePriceId ? await checkStripePrice(deps, { ...changes, stripePriceId: changes.stripePriceId }) : null;
  if (otherPrice) await checkOtherPrice(deps, changes.interval, otherPrice);
  try {
    return await deps.db.transaction(async (tx) => {
      // The price at `interval` first (the database mirrors the default price onto the plan), then the other one;
      // a form without the other price that moves the interval moves the plan's one price.
      await planPrices.upsert(tx, plan.id, {
        interval: changes.interval,
        amount: changes.priceAmount,
        currency: changes.currency,
        stripePriceId: changes.stripePriceId,
      });
      await writeOtherPrice(tx, plan.id, changes.interval, otherPrice === undefined && changes.interval !== plan.interval ? null : otherPrice);
      const row = await plans.update(tx, plan.id, {
        name: changes.name,
        stripeProductId: stripe?.stripeProductId ?? (changes.stripePriceId ? plan.stripeProductId : null),
      });
      await recordAudit(tx, actor, {
        action: 'plan.updated',
        targetType: 'plan',
        targetId: plan.id,
        details: { slug, ...changes, otherPrice: otherPrice ?? null },
      });
      return adminView(tx, row);
    });
  } catch (error) {
    return duplicate(error, slug);
  }
}

/** Deactivate (off the pricing page; existing subscriptions keep it) or reactivate a plan. */
export async function setPlanActive(deps: Deps, actor: AdminActor, raw: SetPlanActiveInput): Promise<AdminPlanView> {
  const input = parseInput(SetPlanActiveInput, raw);
  const plan = await getPlanBySlugOrThrow(deps, input.slug);
  const updated = await deps.db.transaction(async (tx) => {
    const row = await plans.update(tx, plan.id, { active: input.active });
    await recordAudit(tx, actor, {
      action: input.active ? 'plan.reactivated' : 'plan.deactivated',
      targetType: 'plan',
      targetId: plan.id,
      details: { slug: plan.slug },
    });
    return row;
  });
  return adminView(deps.db.kysely, updated);
}
