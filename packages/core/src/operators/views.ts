import { appStatus, apps, subscriptions, transactions, type TransactionRow } from '@aquoris/db';
import { getAppBySlugOrThrow } from '../apps/service.ts';
import type { Deps } from '../deps.ts';
import { getActiveSubscriptionsCard, getChurnCard, getMrrCard, getRevenueCard } from '../metrics/service.ts';
import type { DashboardOptions } from '../metrics/stat.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { toAdminSubscriptionView } from '../subscriptions/admin.ts';
import { parseInput } from '../validation.ts';
import {
  OperatorStatsQuery,
  OperatorSubscriptionsQuery,
  OperatorTransactionsQuery,
  type OperatorAppList,
  type OperatorStats,
  type OperatorSubscriptionPage,
  type TransactionPage,
  type TransactionView,
} from './schemas.ts';

/**
 * The mode of the objects this service stores. Every app uses the platform account today, whose
 * objects are test mode (issue 17 part 1 adds a per-object `livemode`): a `live` filter matches
 * nothing, `test` matches everything. Kept in one place so the column can replace it.
 */
const PLATFORM_LIVEMODE = false;
const matchesNothing = (mode: 'test' | 'live' | undefined) => mode !== undefined && (mode === 'live') !== PLATFORM_LIVEMODE;

const appIdOf = async (deps: Pick<Deps, 'db'>, slug: string | undefined) => (slug === undefined ? undefined : (await getAppBySlugOrThrow(deps, slug)).id);
const dateOf = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

/** GET /admin/subscriptions: every app's subscriptions, newest first, keyset-paged. */
export async function listAllAppSubscriptions(deps: Pick<Deps, 'db'>, raw: OperatorSubscriptionsQuery): Promise<OperatorSubscriptionPage> {
  const input = parseInput(OperatorSubscriptionsQuery, raw);
  const cursor = decodeCursor(input.cursor);
  const filter = { appId: await appIdOf(deps, input.app), status: input.status, createdFrom: dateOf(input.createdFrom), createdTo: dateOf(input.createdTo) };
  if (matchesNothing(input.mode)) return { subscriptions: [], nextCursor: null };
  const page = toPage(await subscriptions.listFilteredPage(deps.db.kysely, filter, cursor, input.limit + 1), input.limit);
  return { subscriptions: page.rows.map(toAdminSubscriptionView), nextCursor: page.nextCursor };
}

function toTransactionView(row: TransactionRow): TransactionView {
  return {
    id: row.id,
    kind: row.kind,
    invoiceId: row.invoiceId,
    app: row.appSlug,
    customer: { id: row.customerId, externalUserId: row.externalUserId },
    status: row.status as TransactionView['status'],
    amount: row.amount,
    currency: row.currency,
    createdAt: row.createdAt.toISOString(),
    livemode: PLATFORM_LIVEMODE,
  };
}

/** GET /admin/transactions: invoices, payments and refunds of every app in one newest-first list. */
export async function listAllAppTransactions(deps: Pick<Deps, 'db'>, raw: OperatorTransactionsQuery): Promise<TransactionPage> {
  const input = parseInput(OperatorTransactionsQuery, raw);
  const cursor = decodeCursor(input.cursor);
  const filter = { appId: await appIdOf(deps, input.app), kind: input.kind, status: input.status, from: dateOf(input.from), to: dateOf(input.to) };
  if (matchesNothing(input.mode)) return { transactions: [], nextCursor: null };
  const page = toPage(await transactions.listPage(deps.db.kysely, filter, cursor, input.limit + 1), input.limit);
  return { transactions: page.rows.map(toTransactionView), nextCursor: page.nextCursor };
}

/** GET /admin/apps: each app with how it takes payments. All apps use the platform account until per-app accounts exist. */
export async function listOperatorApps(deps: Pick<Deps, 'db' | 'stripe'>): Promise<OperatorAppList> {
  const [rows, lastWebhook] = await Promise.all([apps.list(deps.db.kysely), appStatus.lastWebhookByApp(deps.db.kysely)]);
  return {
    apps: rows.map((app) => ({
      id: app.id,
      slug: app.slug,
      name: app.name,
      payment: {
        account: 'platform' as const,
        mode: PLATFORM_LIVEMODE ? ('live' as const) : ('test' as const),
        keysValid: deps.stripe !== undefined,
        lastWebhookAt: lastWebhook.get(app.id)?.toISOString() ?? null,
      },
      createdAt: app.createdAt.toISOString(),
    })),
  };
}

/** GET /admin/stats: the Dashboard's MRR, active subscriptions, churn and revenue cards, computed by the same services. */
export async function getOperatorStats(deps: Pick<Deps, 'db' | 'clock'>, raw: OperatorStatsQuery, options: DashboardOptions = {}): Promise<OperatorStats> {
  const input = parseInput(OperatorStatsQuery, raw);
  const filter = { appId: await appIdOf(deps, input.app), month: input.month };
  const [mrr, activeSubscriptions, churn, revenue] = await Promise.all([
    getMrrCard(deps, filter, options),
    getActiveSubscriptionsCard(deps, filter, options),
    getChurnCard(deps, filter, options),
    getRevenueCard(deps, filter, options),
  ]);
  return { app: input.app ?? null, mrr, activeSubscriptions, churn, revenue };
}
