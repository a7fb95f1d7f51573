import {
  AdminSubscriptionView,
  cancelSubscriptionAtPeriodEnd,
  getOperatorStats,
  listAllAppSubscriptions,
  listAllAppTransactions,
  listOperatorApps,
  OperatorAppList,
  OperatorStats,
  OperatorStatsQuery,
  OperatorSubscriptionPage,
  OperatorSubscriptionsQuery,
  OperatorTransactionsQuery,
  TransactionPage,
} from '@aquoris/core';
import { z } from 'zod';
import { route, type RouteDefinition } from './route.ts';

/** Where the operator routes live: their own router and auth (operator tokens), ahead of the app routes. */
export const OPERATOR_PREFIX = '/api/v1/admin';

const filterErrors = { APP_NOT_FOUND: 'app names no app', VALIDATION_ERROR: 'an unknown parameter, a bad value, or a cursor this list did not give out' };

const subscriptions = route({
  operationId: 'listAllSubscriptions',
  method: 'get',
  path: '/api/v1/admin/subscriptions',
  tag: 'Operators',
  summary: "Every app's subscriptions",
  description: 'Newest first; pass nextCursor back as cursor. Pages are exact while rows are added (keyset on createdAt, id).',
  auth: 'operator',
  query: OperatorSubscriptionsQuery,
  response: { schema: OperatorSubscriptionPage, description: 'One page' },
  errors: filterErrors,
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps, query }) => listAllAppSubscriptions(deps, query as OperatorSubscriptionsQuery),
});

const transactions = route({
  operationId: 'listAllTransactions',
  method: 'get',
  path: '/api/v1/admin/transactions',
  tag: 'Operators',
  summary: "Every app's invoices, payments and refunds",
  description: 'One list, newest first by (createdAt, id): an invoice at its creation, a payment at its payment time, a refund at its creation.',
  auth: 'operator',
  query: OperatorTransactionsQuery,
  response: { schema: TransactionPage, description: 'One page' },
  errors: filterErrors,
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps, query }) => listAllAppTransactions(deps, query as OperatorTransactionsQuery),
});

const apps = route({
  operationId: 'listOperatorApps',
  method: 'get',
  path: '/api/v1/admin/apps',
  tag: 'Operators',
  summary: 'Apps and how each takes payments',
  description: 'Platform or own Stripe account, mode, whether the keys are configured, and the last Stripe event received about the app.',
  auth: 'operator',
  response: { schema: OperatorAppList, description: 'Every app' },
  errors: {},
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps }) => listOperatorApps(deps),
});

const stats = route({
  operationId: 'getOperatorStats',
  method: 'get',
  path: '/api/v1/admin/stats',
  tag: 'Operators',
  summary: 'MRR, active subscriptions, churn and revenue',
  description: "The Dashboard's cards, by the same definitions (docs/metrics.md), for every app or one.",
  auth: 'operator',
  query: OperatorStatsQuery,
  response: { schema: OperatorStats, description: 'The figures' },
  errors: { ...filterErrors, METRIC_TIMEOUT: 'a figure took longer than its server timeout; retry' },
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps, query }) => getOperatorStats(deps, query as OperatorStatsQuery, deps.dashboard),
});

const SubscriptionIdParams = z.strictObject({ subscriptionId: z.string().min(1).max(255).meta({ description: 'The subscription id', example: 'cm5sub123' }) });
const OperatorSubscription = AdminSubscriptionView.meta({ id: 'OperatorSubscription' });

const cancel = route({
  operationId: 'cancelAnySubscription',
  method: 'post',
  path: '/api/v1/admin/subscriptions/{subscriptionId}/cancel',
  tag: 'Operators',
  summary: 'Cancel a subscription at its period end',
  description: "The console's Cancel Sub: a Stripe subscription through Stripe, a manual one here. Needs a READ_WRITE token; audited.",
  auth: 'operator',
  params: SubscriptionIdParams,
  response: { schema: OperatorSubscription, description: 'The subscription, now ending at its period end' },
  errors: {
    SUBSCRIPTION_NOT_FOUND: 'no subscription has this id',
    SUBSCRIPTION_ENDED: 'the subscription has already ended',
    SUBSCRIPTION_ALREADY_CANCELING: 'it already ends at its period end',
    PROVIDER_ERROR: 'Stripe failed; retry with backoff',
  },
  allow: [],
  served: 'table',
  handler: ({ deps, operator, params }) => cancelSubscriptionAtPeriodEnd(deps, operator.actor, { subscriptionId: params.subscriptionId }),
});

export const OPERATOR_ROUTES: readonly RouteDefinition[] = [subscriptions, transactions, apps, stats, cancel];
