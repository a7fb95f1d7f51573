import { checkHealth, createBillingSession, listPublicPlans, upsertCustomer } from '@aquoris/core';
import {
  CreateSessionBody,
  CreateSessionResponse,
  CustomerPathParams,
  CustomerView,
  EligibilityResponse,
  HealthResponse,
  ListPlansResponse,
  StripeEventBody,
  StripeWebhookAck,
  UpsertCustomerBody,
} from '@aquoris/core/schemas';
import { z } from 'zod';
import { readEligibility } from './fast-eligibility.ts';
import { route, type RouteDefinition } from './route.ts';

/** Largest JSON body of a v1 route, after decompression. */
export const MAX_BODY_BYTES = 16 * 1024;
/** Largest Stripe event the webhook endpoint reads. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export const V1_PREFIX = '/api/v1';

const OpenApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ id: 'OpenApiDocument', description: 'An OpenAPI 3.1 document' });

const sessions = route({
  operationId: 'createSession',
  method: 'post',
  path: '/api/v1/sessions',
  tag: 'Sessions',
  summary: 'Create a billing session',
  description: 'Returns a signed URL (valid 15 minutes) to redirect the user to. Visiting it sets a 2-hour session cookie.',
  auth: 'app',
  body: { schema: CreateSessionBody, example: { externalUserId: 'user_123', appSlug: 'vega' }, maxBytes: MAX_BODY_BYTES },
  response: { schema: CreateSessionResponse, description: 'The session URL' },
  errors: {
    UNAUTHORIZED: 'appSlug names another app than the one that owns the key',
    PLAN_NOT_FOUND: 'planSlug names no active plan',
    PLAN_INTERVAL_UNAVAILABLE: 'billingInterval names a price (monthly or yearly) the plan does not have',
    APP_NOT_FOUND: 'appSlug names no app',
    VALIDATION_ERROR: 'invalid body, or returnUrl outside the app domain',
    PROVIDER_ERROR: 'Stripe failed; retry with backoff',
    PROVIDER_OBJECT_MISSING: 'Stripe does not know an object this service holds the id of (the customer, a subscription): an operator must look',
  },
  allow: [],
  served: 'table',
  // The service parses the body with CreateSessionBody.
  handler: ({ deps, app, body }) => createBillingSession(deps, app, body as z.input<typeof CreateSessionBody>),
});

const subscription = route({
  operationId: 'getSubscription',
  method: 'get',
  path: '/api/v1/customers/{externalUserId}/subscription',
  tag: 'Customers',
  summary: 'Check eligibility',
  description: 'Always 200. `base` is the current ACTIVE, TRIALING or PAST_DUE subscription, or null (also for unknown customers).',
  auth: 'app',
  params: CustomerPathParams,
  response: {
    schema: EligibilityResponse,
    description: 'Eligibility',
    example: {
      base: {
        status: 'ACTIVE',
        plan: { slug: 'pro', name: 'Aquoris PRO', interval: 'month' },
        currentPeriodEnd: '2026-05-06T00:00:00.000Z',
        cancelAtPeriodEnd: false,
        source: 'CHECKOUT',
      },
      addons: [],
    },
  },
  errors: { VALIDATION_ERROR: 'externalUserId breaks the id rules, or is not valid percent-encoding' },
  allow: ['HEAD'],
  served: 'table',
  handler: async ({ deps, eligibilityCache, app, params }) => ({ jsonText: await readEligibility(deps, eligibilityCache, app, params.externalUserId) }),
});

const customer = route({
  operationId: 'upsertCustomer',
  method: 'put',
  path: '/api/v1/customers/{externalUserId}',
  tag: 'Customers',
  summary: 'Create or update a customer',
  description: 'Partial update: omitted fields are preserved. At least one field is required. Changes sync to Stripe in the background.',
  auth: 'app',
  params: CustomerPathParams,
  body: { schema: UpsertCustomerBody, example: { email: 'alice@example.com', name: 'Alice Smith' }, maxBytes: MAX_BODY_BYTES },
  response: {
    schema: CustomerView,
    description: 'The customer',
    example: { id: 'cm5abc123', externalUserId: 'user_123', email: 'alice@example.com', name: 'Alice Smith' },
  },
  errors: { VALIDATION_ERROR: 'an empty body, a blank name, an invalid email or externalUserId' },
  allow: [],
  served: 'table',
  handler: ({ deps, app, params, body }) => upsertCustomer(deps, app, { externalUserId: params.externalUserId, fields: body }),
});

const plans = route({
  operationId: 'listPlans',
  method: 'get',
  path: '/api/v1/plans',
  tag: 'Plans',
  summary: 'List active plans',
  description:
    'Active plans only, in display order. `priceAmount` is in minor units. `prices` lists the monthly and/or yearly price; `priceAmount`, `currency` and `interval` repeat the default one (monthly when there is one).',
  auth: 'app',
  response: {
    schema: ListPlansResponse,
    description: 'Active plans',
    example: {
      plans: [
        {
          slug: 'pro',
          name: 'Aquoris PRO',
          priceAmount: 29900,
          currency: 'thb',
          interval: 'month',
          trialDays: 0,
          prices: [
            { interval: 'month', priceAmount: 29900, currency: 'thb' },
            { interval: 'year', priceAmount: 269100, currency: 'thb' },
          ],
        },
      ],
    },
  },
  errors: {},
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps }) => listPublicPlans(deps),
});

const health = route({
  operationId: 'health',
  method: 'get',
  path: '/api/health',
  tag: 'Operations',
  summary: 'Health check (no auth)',
  description: 'For load balancers and monitors; never cached.',
  auth: 'none',
  response: {
    schema: HealthResponse,
    description: 'All checks passed',
    example: { status: 'ok', timestamp: '2026-05-06T00:00:00.000Z', checks: { database: 'ok', redis: 'ok' } },
  },
  alternates: { 503: 'Degraded: a check failed (`status` is "degraded")' },
  errors: {},
  allow: ['HEAD'],
  served: 'table',
  cacheControl: 'no-store',
  statusOf: (output) => (output.status === 'ok' ? 200 : 503),
  handler: ({ deps }) => checkHealth(deps, { redis: () => deps.redis.ping() }),
});

const stripeWebhook = route({
  operationId: 'stripeWebhook',
  method: 'post',
  path: '/api/v1/webhooks/stripe',
  tag: 'Stripe',
  summary: 'Stripe webhook endpoint (for Stripe, not for apps)',
  description:
    'Configure it in the Stripe Dashboard with the six events checkout.session.completed, customer.subscription.updated, ' +
    'customer.subscription.deleted, invoice.paid, invoice.payment_failed and charge.refunded. Events are verified, stored ' +
    'and processed in the background; duplicates and any order are safe. The body is read raw (any content type).',
  auth: 'none',
  headers: [
    {
      name: 'Stripe-Signature',
      required: true,
      description: 't=<unix>,v1=<HMAC-SHA256 of "<t>.<raw body>">',
      example: 't=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
    },
  ],
  body: {
    schema: StripeEventBody,
    example: { id: 'evt_123', object: 'event', type: 'invoice.paid', data: { object: {} } },
    maxBytes: MAX_WEBHOOK_BYTES,
  },
  response: { schema: StripeWebhookAck, description: 'Stored and queued, a duplicate, or a type the service ignores' },
  errors: {
    INVALID_SIGNATURE: 'missing, invalid or stale signature; nothing is written and Stripe will not retry',
    SERVICE_UNAVAILABLE: 'webhooks are not configured on this server (STRIPE_WEBHOOK_SECRET), or PostgreSQL is unreachable (Stripe retries)',
  },
  allow: [],
  served: 'external',
});

const openApiDocument = route({
  operationId: 'getOpenApiDocument',
  method: 'get',
  path: '/api/v1/openapi.json',
  tag: 'Operations',
  summary: 'This OpenAPI document (no auth)',
  description: 'Also served at /docs/api/openapi.json, for the interactive reference at /docs/api.',
  auth: 'none',
  response: {
    schema: OpenApiDocumentSchema,
    description: 'The OpenAPI document',
    example: { openapi: '3.1.0', info: { title: 'Aquoris Billing REST API', version: '1.0.0' }, paths: {} },
  },
  errors: {},
  allow: ['HEAD'],
  served: 'external',
});

/** The REST contract, in document order. */
export const ROUTES: readonly RouteDefinition[] = [sessions, subscription, customer, plans, health, stripeWebhook, openApiDocument];
