import { subscriptions, type SubscriptionRow } from '@aquoris/db';
import { getAppBySlugOrThrow } from '../apps/service.ts';
import type { Deps } from '../deps.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { getPlanBySlugOrThrow } from '../plans/service.ts';
import { parseInput } from '../validation.ts';
import { ListSubscriptionsInput, type AdminSubscriptionView, type SubscriptionPage } from './admin-schemas.ts';

export interface SubscriptionListRow extends SubscriptionRow {
  externalUserId: string;
  customerEmail: string | null;
  customerName: string | null;
  appSlug: string;
  planSlug: string;
  planName: string;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toAdminSubscriptionView(row: SubscriptionListRow): AdminSubscriptionView {
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    kind: row.kind,
    app: row.appSlug,
    plan: { slug: row.planSlug, name: row.planName },
    customer: { id: row.customerId, externalUserId: row.externalUserId, email: row.customerEmail, name: row.customerName },
    currentPeriodStart: row.currentPeriodStart.toISOString(),
    currentPeriodEnd: row.currentPeriodEnd.toISOString(),
    trialEnd: iso(row.trialEnd),
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    canceledAt: iso(row.canceledAt),
    endedAt: iso(row.endedAt),
    stripeSubscriptionId: row.stripeSubscriptionId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The list's filter (status, app and plan slugs) as the query's ids; an unknown slug is APP_NOT_FOUND or PLAN_NOT_FOUND. */
export async function resolveSubscriptionFilter(
  deps: Pick<Deps, 'db'>,
  input: Pick<ListSubscriptionsInput, 'status' | 'appSlug' | 'planSlug' | 'mode'>,
): Promise<subscriptions.SubscriptionListFilter> {
  return {
    status: input.status,
    livemode: input.mode === undefined ? undefined : input.mode === 'live',
    appId: input.appSlug === undefined ? undefined : (await getAppBySlugOrThrow(deps, input.appSlug)).id,
    planId: input.planSlug === undefined ? undefined : (await getPlanBySlugOrThrow(deps, input.planSlug)).id,
  };
}

/**
 * The admin Subscriptions list: the exact total for the filter and one page, newest first. The
 * cursor is the last row's (createdAt, id), so rows inserted while an operator scrolls never repeat
 * or push a row off (they sort before the first page).
 */
export async function listSubscriptions(deps: Pick<Deps, 'db'>, raw: ListSubscriptionsInput): Promise<SubscriptionPage> {
  const input = parseInput(ListSubscriptionsInput, raw);
  const cursor = decodeCursor(input.cursor);
  const filter = await resolveSubscriptionFilter(deps, input);
  const [total, rows] = await Promise.all([
    subscriptions.countFiltered(deps.db.kysely, filter),
    subscriptions.listFilteredPage(deps.db.kysely, filter, cursor, input.limit + 1),
  ]);
  const page = toPage(rows, input.limit);
  return { total, subscriptions: page.rows.map(toAdminSubscriptionView), nextCursor: page.nextCursor };
}
