import { appStatus, apps, stripeConfigs, subscriptions, transactions, type TransactionRow } from '@aquoris/db';
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

/** The `mode` filter as the stored objects' `livemode` (every object carries Stripe's; manual rows are test). */
const livemodeOf = (mode: 'test' | 'live' | undefined) => (mode === undefined ? undefined : mode === 'live');

const appIdOf = async (deps: Pick<Deps, 'db'>, slug: string | undefined) => (slug === undefined ? undefined : (await getAppBySlugOrThrow(deps, slug)).id);
const dateOf = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

/** GET /admin/subscriptions: every app's subscriptions, newest first, keyset-paged. */
export async function listAllAppSubscriptions(deps: Pick<Deps, 'db'>, raw: OperatorSubscriptionsQuery): Promise<OperatorSubscriptionPage> {
  const input = parseInput(OperatorSubscriptionsQuery, raw);
  const cursor = decodeCursor(input.cursor);
  const filter = {
    appId: await appIdOf(deps, input.app),
    status: input.status,
    createdFrom: dateOf(input.createdFrom),
    createdTo: dateOf(input.createdTo),
    livemode: livemodeOf(input.mode),
  };
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
    livemode: row.livemode,
  };
}

/** GET /admin/transactions: invoices, payments and refunds of every app in one newest-first list. */
export async function listAllAppTransactions(deps: Pick<Deps, 'db'>, raw: OperatorTransactionsQuery): Promise<TransactionPage> {
  const input = parseInput(OperatorTransactionsQuery, raw);
  const cursor = decodeCursor(input.cursor);
  const filter = {
    appId: await appIdOf(deps, input.app),
    kind: input.kind,
    status: input.status,
    from: dateOf(input.from),
    to: dateOf(input.to),
    livemode: livemodeOf(input.mode),
  };
  const page = toPage(await transactions.listPage(deps.db.kysely, filter, cursor, input.limit + 1), input.limit);
  return { transactions: page.rows.map(toTransactionView), nextCursor: page.nextCursor };
}

/**
 * GET /admin/apps: each app with how it takes payments: the platform account, or its own (it has active keys,
 * as stripeFor decides), in the app's current mode; keysValid says whether keys for that mode are configured.
 */
export async function listOperatorApps(deps: Pick<Deps, 'db' | 'stripe'>): Promise<OperatorAppList> {
  const [rows, lastWebhook] = await Promise.all([apps.list(deps.db.kysely), appStatus.lastWebhookByApp(deps.db.kysely)]);
  const configs = await Promise.all(rows.map((app) => stripeConfigs.listActive(deps.db.kysely, app.id)));
  return {
    apps: rows.map((app, i) => {
      const mode = app.testMode ? ('test' as const) : ('live' as const);
      const own = configs[i]!.length > 0;
      return {
        id: app.id,
        slug: app.slug,
        name: app.name,
        payment: {
          account: own ? ('own' as const) : ('platform' as const),
          mode,
          keysValid: own ? configs[i]!.some((c) => c.mode === mode) : deps.stripe !== undefined,
          lastWebhookAt: lastWebhook.get(app.id)?.toISOString() ?? null,
        },
        createdAt: app.createdAt.toISOString(),
      };
    }),
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
