import {
  createPortalSession,
  getBillingSubscription,
  listBillingInvoices,
  MePayments,
  MePortal,
  MeSubscription,
  MeSubscriptionView,
  MeUpdateSubscriptionBody,
  MeUpdateSubscriptionResult,
  setCancelAtPeriodEnd,
  updateMySubscription,
} from '@aquoris/core';
import { route, type RouteDefinition } from './route.ts';

/** The end-user routes: their own router, auth (the billing-session token) and CORS, ahead of the app routes. */
export const ME_PREFIX = '/api/v1/me';
const ME_BODY_BYTES = 4 * 1024;
const stripeErrors = { PROVIDER_ERROR: 'Stripe failed; retry with backoff' };

const subscription = route({
  operationId: 'getMySubscription',
  method: 'get',
  path: '/api/v1/me/subscription',
  tag: 'End users',
  summary: "The user's subscription",
  description: 'The current subscription (or null) and the last one that ended, as the billing page shows them.',
  auth: 'session',
  response: { schema: MeSubscription, description: 'The subscription' },
  errors: {},
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps, subscriber }) => getBillingSubscription(deps, subscriber),
});

const payments = route({
  operationId: 'listMyPayments',
  method: 'get',
  path: '/api/v1/me/payments',
  tag: 'End users',
  summary: "The user's invoices and payments",
  auth: 'session',
  response: { schema: MePayments, description: 'Newest first' },
  errors: {},
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps, subscriber }) => listBillingInvoices(deps, subscriber),
});

const portal = route({
  operationId: 'createMyPortalSession',
  method: 'post',
  path: '/api/v1/me/customer-portal',
  tag: 'End users',
  summary: 'Open the Stripe customer portal',
  description: 'A Stripe Billing Portal URL to redirect the user to.',
  auth: 'session',
  response: { schema: MePortal, description: 'The portal URL' },
  errors: { NO_BILLING_ACCOUNT: 'the user has never paid through Stripe', ...stripeErrors },
  allow: [],
  served: 'table',
  handler: ({ deps, subscriber }) => createPortalSession(deps, subscriber),
});

const cancel = route({
  operationId: 'cancelMySubscription',
  method: 'post',
  path: '/api/v1/me/cancel-subscription',
  tag: 'End users',
  summary: 'Cancel at the end of the period',
  auth: 'session',
  response: { schema: MeSubscriptionView, description: 'The subscription, now ending at its period end' },
  errors: {
    SUBSCRIPTION_NOT_FOUND: 'the user has no current subscription',
    SUBSCRIPTION_MANAGED_BY_APP: 'a manual grant or free plan: not cancelled here',
    ...stripeErrors,
  },
  allow: [],
  served: 'table',
  handler: ({ deps, subscriber }) => setCancelAtPeriodEnd(deps, subscriber, true),
});

const update = route({
  operationId: 'updateMySubscription',
  method: 'post',
  path: '/api/v1/me/update-subscription',
  tag: 'End users',
  summary: 'Change plan: preview, then confirm',
  description:
    "Send { planSlug } for the preview (what is charged now, nothing changes), then { planSlug, prorationDate } with the preview's prorationDate to switch, charged as previewed. The billing pages' rules apply.",
  auth: 'session',
  body: { schema: MeUpdateSubscriptionBody, example: { planSlug: 'pro-yearly' }, maxBytes: ME_BODY_BYTES },
  response: { schema: MeUpdateSubscriptionResult, description: 'The preview, or the changed subscription' },
  errors: {
    PLAN_NOT_FOUND: 'planSlug names no active plan',
    PLAN_CHANGE_NOT_ALLOWED: 'the same plan, a free plan, or a subscription that cannot change here',
    SUBSCRIPTION_NOT_FOUND: 'the user has no current subscription',
    VALIDATION_ERROR: 'a bad body, or a prorationDate that is not the preview',
    PAYMENT_DECLINED: 'the card was declined for the amount due now',
    ...stripeErrors,
  },
  allow: [],
  served: 'table',
  handler: ({ deps, subscriber, body }) => updateMySubscription(deps, subscriber, body as MeUpdateSubscriptionBody),
});

export const ME_ROUTES: readonly RouteDefinition[] = [subscription, payments, portal, cancel, update];
export { ME_BODY_BYTES };
