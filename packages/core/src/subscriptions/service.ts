import type { PreparedStatement } from '@aquoris/db';
import type { OperatorActor, AppActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { addDays } from '../clock.ts';
import { endFreeSubscriptions } from './free.ts';
import { ensureCustomer } from '../customers/service.ts';
import type { Deps } from '../deps.ts';
import { getAppBySlugOrThrow } from '../apps/service.ts';
import { getPlanBySlugOrThrow } from '../plans/service.ts';
import { parseInput } from '../validation.ts';
import { GrantSubscriptionInput, type EligibilityResponse, type EligibilitySubscription } from './schemas.ts';

/** The statuses that count as a current subscription, best first. */
export const CURRENT_STATUSES = ['ACTIVE', 'TRIALING', 'PAST_DUE'] as const;
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

/**
 * GET /customers/:externalUserId/subscription. Never calls Stripe. MANUAL and
 * TRIAL subscriptions past their period end are excluded even before the
 * expiry job has marked them EXPIRED; Stripe-backed ones follow Stripe's state.
 */
type EligibilitySqlRow = Omit<EligibilityRow, 'plan'> & { slug: string; name: string; interval: 'month' | 'year' };

const CURRENT_BASE = `s.kind = 'BASE' AND s.status IN ('ACTIVE', 'TRIALING', 'PAST_DUE')
           AND (s.source = 'CHECKOUT' OR s."currentPeriodEnd" > $1)`;

// The hot path of every client app: one indexed round trip, driven by the
// unique (appId, externalUserId) key and joined to the subscription and plan,
// as a prepared statement so PostgreSQL plans it once per connection.
const ELIGIBILITY_SQL: PreparedStatement = {
  name: 'eligibility_v2',
  text: `SELECT s.status::text AS status, s.source::text AS source, s."currentPeriodEnd", s."cancelAtPeriodEnd",
                p.slug, p.name, p.interval::text AS interval
         FROM customers c
         JOIN subscriptions s ON s."customerId" = c.id AND s."appId" = c."appId"
         JOIN plans p ON p.id = s."planId"
         WHERE c."appId" = $2 AND c."externalUserId" = $3 AND ${CURRENT_BASE}
         LIMIT 10`,
};

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
  return toEntry(await deps.db.sql.query<EligibilitySqlRow>(ELIGIBILITY_SQL, [deps.clock.now(), actor.appId, externalUserId]));
}

/**
 * GET /customers/:externalUserId/subscription. Never calls Stripe. MANUAL and
 * TRIAL subscriptions past their period end are excluded even before the
 * expiry job has marked them EXPIRED; Stripe-backed ones follow Stripe's state.
 */
export async function getEligibility(deps: Pick<Deps, 'db' | 'clock'>, actor: AppActor, externalUserId: string): Promise<EligibilityResponse> {
  return (await getEligibilityEntry(deps, actor, externalUserId)).response;
}

const SNAPSHOT_SQL: PreparedStatement = {
  name: 'eligibility_snapshot_v1',
  text: `WITH page AS (
           SELECT DISTINCT s."customerId" AS id FROM subscriptions s
           WHERE ${CURRENT_BASE} AND s."customerId" > $2
           ORDER BY 1 LIMIT $3)
         SELECT c.id AS "customerId", c."appId", c."externalUserId",
                s.status::text AS status, s.source::text AS source, s."currentPeriodEnd", s."cancelAtPeriodEnd",
                p.slug, p.name, p.interval::text AS interval
         FROM page
         JOIN customers c ON c.id = page.id
         JOIN subscriptions s ON s."customerId" = c.id AND s."appId" = c."appId"
         JOIN plans p ON p.id = s."planId"
         WHERE ${CURRENT_BASE}
         ORDER BY c.id`,
};

/** Every customer with a current base subscription, page by page: to warm an eligibility cache. */
export async function* eligibilitySnapshot(
  deps: Pick<Deps, 'db' | 'clock'>,
  pageSize = 5_000,
): AsyncGenerator<{ appId: string; externalUserId: string; entry: EligibilityEntry }> {
  let after = '';
  for (;;) {
    type Row = EligibilitySqlRow & { customerId: string; appId: string; externalUserId: string };
    const rows = await deps.db.sql.query<Row>(SNAPSHOT_SQL, [deps.clock.now(), after, pageSize]);
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
  return deps.db.prisma.$transaction(async (tx) => {
    const existing = await tx.subscription.findFirst({
      where: { customerId: customer.id, planId: plan.id, kind: 'BASE', source: 'MANUAL', status: 'ACTIVE', currentPeriodEnd: { gt: now } },
      orderBy: { currentPeriodEnd: 'desc' },
    });
    const subscription = existing
      ? await tx.subscription.update({
          where: { id: existing.id },
          data: { currentPeriodEnd: addDays(existing.currentPeriodEnd, input.days) },
        })
      : await tx.subscription.create({
          data: {
            appId: app.id,
            customerId: customer.id,
            planId: plan.id,
            status: 'ACTIVE',
            source: 'MANUAL',
            kind: 'BASE',
            currentPeriodStart: now,
            currentPeriodEnd: addDays(now, input.days),
          },
        });
    // A granted plan replaces a free one (free-plan subscriptions are open-ended and would otherwise rank first).
    if (plan.priceAmount > 0) await endFreeSubscriptions(tx, actor, customer.id, now);
    await recordAudit(tx, actor, {
      action: existing ? 'subscription.extended' : 'subscription.granted',
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
  const { count } = await deps.db.prisma.subscription.updateMany({
    where: { source: { in: ['MANUAL', 'TRIAL'] }, status: { in: [...CURRENT_STATUSES] }, currentPeriodEnd: { lte: now } },
    data: { status: 'EXPIRED', endedAt: now },
  });
  return count;
}
