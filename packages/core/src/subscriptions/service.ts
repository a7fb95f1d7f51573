import { eligibilityChanges, subscriptions, type Tx } from '@aquoris/db';
import type { OperatorActor, AppActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { addDays } from '../clock.ts';
import { endFreeSubscriptions } from './free.ts';
import { recordCustomerMetrics, recordCustomersMetrics } from '../metrics/record.ts';
import { ensureCustomer } from '../customers/service.ts';
import type { Deps } from '../deps.ts';
import { getAppBySlugOrThrow } from '../apps/service.ts';
import { getPlanBySlugOrThrow } from '../plans/service.ts';
import { parseInput } from '../validation.ts';
import { GrantSubscriptionInput, type EligibilityResponse, type EligibilitySubscription } from './schemas.ts';

/** The statuses that count as a current subscription, best first. */
export const CURRENT_STATUSES = subscriptions.CURRENT_STATUSES;
const RANK: Record<string, number> = { ACTIVE: 0, TRIALING: 1, PAST_DUE: 2 };

interface EligibilityRow {
  status: EligibilitySubscription['status'];
  source: EligibilitySubscription['source'];
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  plan: { slug: string; name: string; interval: 'month' | 'year' };
}

/** The current base subscription of a customer, as the eligibility endpoint shows it. */
export function pickBase<T extends { status: string; currentPeriodEnd: Date }>(rows: T[]): T | null {
  let best: T | null = null;
  for (const row of rows) {
    if (!best || (RANK[row.status] ?? 9) < (RANK[best.status] ?? 9) || (row.status === best.status && row.currentPeriodEnd > best.currentPeriodEnd)) {
      best = row;
    }
  }
  return best;
}

function toEligibilitySubscription(row: EligibilityRow): EligibilitySubscription {
  return {
    status: row.status,
    plan: { slug: row.plan.slug, name: row.plan.name, interval: row.plan.interval },
    currentPeriodEnd: row.currentPeriodEnd.toISOString(),
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    source: row.source,
  };
}

type EligibilitySqlRow = subscriptions.EligibilityRow;

/** An eligibility answer and how long it stays true without any write: until a manual or trial grant among its rows lapses. */
export interface EligibilityEntry {
  response: EligibilityResponse;
  validUntil: Date | null;
}

function toEntry(rows: EligibilitySqlRow[]): EligibilityEntry {
  const base = pickBase(rows);
  let validUntil: Date | null = null;
  for (const row of rows) {
    if (row.source !== 'CHECKOUT' && (!validUntil || row.currentPeriodEnd < validUntil)) validUntil = row.currentPeriodEnd;
  }
  return {
    response: {
      base: base ? toEligibilitySubscription({ ...base, plan: { slug: base.slug, name: base.name, interval: base.interval } }) : null,
      addons: [],
    },
    validUntil,
  };
}

export async function getEligibilityEntry(deps: Pick<Deps, 'db' | 'clock'>, actor: AppActor, externalUserId: string): Promise<EligibilityEntry> {
  return toEntry(await subscriptions.listEligibility(deps.db.kysely, actor.appId, externalUserId, deps.clock.now()));
}

/**
 * GET /customers/:externalUserId/subscription. Never calls Stripe. MANUAL and
 * TRIAL subscriptions past their period end are excluded even before the
 * expiry job has marked them EXPIRED; Stripe-backed ones follow Stripe's state.
 */
export async function getEligibility(deps: Pick<Deps, 'db' | 'clock'>, actor: AppActor, externalUserId: string): Promise<EligibilityResponse> {
  return (await getEligibilityEntry(deps, actor, externalUserId)).response;
}

/** Every customer with a current base subscription, page by page: to warm an eligibility cache. */
export async function* eligibilitySnapshot(
  deps: Pick<Deps, 'db' | 'clock'>,
  pageSize = 5_000,
): AsyncGenerator<{ appId: string; externalUserId: string; entry: EligibilityEntry }> {
  let after = '';
  for (;;) {
    const rows = await subscriptions.listEligibilitySnapshotPage(deps.db.kysely, deps.clock.now(), after, pageSize);
    if (rows.length === 0) return;
    let i = 0;
    while (i < rows.length) {
      const first = rows[i]!;
      let j = i;
      while (j < rows.length && rows[j]!.customerId === first.customerId) j++;
      yield { appId: first.appId, externalUserId: first.externalUserId, entry: toEntry(rows.slice(i, j)) };
      i = j;
    }
    after = rows.at(-1)!.customerId;
  }
}

/** Customers listed at most by eligibilityChangesSince; past this, every answer counts as changed. */
const MAX_LISTED_CHANGES = 10_000;

/**
 * What may have changed an eligibility answer since `since` (database time): a customer's subscriptions, or
 * any plan (then `everything`). For a cache that resumes after missing its change notifications.
 */
export function eligibilityChangesSince(deps: Pick<Deps, 'db'>, since: Date): Promise<eligibilityChanges.EligibilityChanges> {
  return eligibilityChanges.listSince(deps.db.kysely, since, MAX_LISTED_CHANGES);
}

/**
 * The customer's current MANUAL subscription of the plan extended by the days, or a new one from now: one
 * rule for operator grants and recorded payments. `resume` also clears a pending cancellation (a payment
 * renews the grant; a grant leaves it as it was). Runs in the caller's transaction.
 */
export async function startOrExtendManualGrant(tx: Tx, grant: { appId: string; customerId: string; planId: string; now: Date; days: number; resume: boolean }) {
  const existing = await subscriptions.findActiveManualGrant(tx, grant.customerId, grant.planId, grant.now);
  const periodStart = existing ? existing.currentPeriodEnd : grant.now;
  const periodEnd = addDays(periodStart, grant.days);
  const subscription = existing
    ? await subscriptions.update(tx, existing.id, {
        currentPeriodEnd: periodEnd,
        ...(grant.resume ? { cancelAtPeriodEnd: false, canceledAt: null } : {}),
      })
    : await subscriptions.insert(tx, {
        appId: grant.appId,
        customerId: grant.customerId,
        planId: grant.planId,
        status: 'ACTIVE',
        source: 'MANUAL',
        kind: 'BASE',
        currentPeriodStart: grant.now,
        currentPeriodEnd: periodEnd,
      });
  await recordCustomerMetrics(tx, subscription, grant.now);
  return { subscription, extended: existing !== undefined, periodStart, periodEnd };
}

/**
 * Grants a MANUAL subscription for N days. An existing current manual grant of
 * the same plan is extended instead of stacked.
 */
export async function grantManualSubscription(deps: Deps, actor: OperatorActor, raw: GrantSubscriptionInput) {
  const input = parseInput(GrantSubscriptionInput, raw);
  const app = await getAppBySlugOrThrow(deps, input.appSlug);
  const plan = await getPlanBySlugOrThrow(deps, input.planSlug);
  const customer = await ensureCustomer(deps, app.id, input.externalUserId);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const { subscription, extended } = await startOrExtendManualGrant(tx, {
      appId: app.id,
      customerId: customer.id,
      planId: plan.id,
      now,
      days: input.days,
      resume: false,
    });
    // A granted plan replaces a free one (free-plan subscriptions are open-ended and would otherwise rank first).
    if (plan.priceAmount > 0) await endFreeSubscriptions(tx, actor, customer.id, now);
    await recordAudit(tx, actor, {
      action: extended ? 'subscription.extended' : 'subscription.granted',
      targetType: 'subscription',
      targetId: subscription.id,
      details: { app: app.slug, externalUserId: input.externalUserId, plan: plan.slug, days: input.days, reason: input.reason ?? null },
    });
    return {
      id: subscription.id,
      app: app.slug,
      externalUserId: customer.externalUserId,
      plan: plan.slug,
      status: subscription.status,
      source: subscription.source,
      currentPeriodStart: subscription.currentPeriodStart.toISOString(),
      currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
    };
  });
}

/** Moves MANUAL and TRIAL subscriptions past their period end to EXPIRED (the scheduled job). */
export async function expireLapsedSubscriptions(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const expired = await subscriptions.expireLapsed(tx, now);
    await recordCustomersMetrics(tx, expired, now);
    return expired.length;
  });
}
