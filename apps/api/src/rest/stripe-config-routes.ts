import {
  deactivateStripeConfig,
  getStripeConfig,
  listPlanStripePrices,
  putStripeConfig,
  setPlanStripePrice,
  stripeWebhookUrls,
  validateStripeConfig,
} from '@aquoris/core';
import {
  ListPlanStripePricesView,
  PlanStripePriceView,
  PutStripeConfigInput,
  SetPlanStripePriceInput,
  StripeConfigView,
  StripeEventBody,
  StripeWebhookAck,
  StripeWebhookUrlsView,
  ValidateStripeConfigInput,
  ValidateStripeConfigView,
} from '@aquoris/core/schemas';
import { z } from 'zod';
import { route } from './route.ts';

/** The app's own Stripe account (issue 17 part 1): every route acts on the app of the API key, never one named in the request. */
const MAX_CONFIG_BYTES = 8 * 1024;

const keys = { secretKey: 'sk_test_51Hx0aB2cD3eF4g', publishableKey: 'pk_test_51Hx0aB2cD3eF4g', webhookSigningSecret: 'whsec_9fE8dC7bA6x9Y8' };
const configExample = {
  account: 'own' as const,
  testMode: true,
  test: { secretKeyLast4: 'a1B2', publishableKey: 'pk_test_51H...', webhookSigningSecretLast4: 'x9Y8', setAt: '2026-12-07T10:00:00.000Z' },
  live: null,
};

const PROVIDER_ERRORS = {
  SERVICE_UNAVAILABLE: 'per-app Stripe accounts are not configured on this server',
} as const;

const getConfig = route({
  operationId: 'getStripeConfig',
  method: 'get',
  path: '/api/v1/stripe/config',
  tag: 'Stripe configuration',
  summary: "Get the app's Stripe configuration",
  description: "platform: the service's own Stripe account (the default). Secrets are never returned: only their last 4 characters and when they were set.",
  auth: 'app',
  response: { schema: StripeConfigView, description: 'The configuration', example: configExample },
  errors: {},
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps, app }) => getStripeConfig(deps, app, app.appId),
});

const putConfig = route({
  operationId: 'putStripeConfig',
  method: 'put',
  path: '/api/v1/stripe/config',
  tag: 'Stripe configuration',
  summary: "Set the app's own Stripe keys",
  description:
    "Each mode given (test, live) replaces that mode's keys (the previous ones are kept as history, deactivated); a mode left out keeps its keys. " +
    'testMode (default true) picks the keys used: a test-mode app never uses live keys. Keys must match their mode: sk_test_/rk_test_ and pk_test_ for test, ' +
    'sk_live_/rk_live_ and pk_live_ for live, whsec_ for signing secrets.',
  auth: 'app',
  body: { schema: PutStripeConfigInput, example: { testMode: true, test: keys }, maxBytes: MAX_CONFIG_BYTES },
  response: { schema: StripeConfigView, description: 'The configuration as saved', example: configExample },
  errors: {
    STRIPE_KEY_MODE_MISMATCH: 'a key whose prefix does not match its mode or kind',
    VALIDATION_ERROR: 'an unknown field, or no keys for the mode the app will run in',
    ...PROVIDER_ERRORS,
  },
  allow: [],
  served: 'table',
  handler: ({ deps, app, body }) => putStripeConfig(deps, app, app.appId, body),
});

const deleteConfig = route({
  operationId: 'deleteStripeConfig',
  method: 'delete',
  path: '/api/v1/stripe/config',
  tag: 'Stripe configuration',
  summary: "Deactivate the app's own Stripe keys",
  description: "The app goes back to the platform's Stripe account, in test mode. The keys are kept as history, deactivated, never deleted.",
  auth: 'app',
  response: { schema: StripeConfigView, description: 'The configuration now', example: { ...configExample, account: 'platform', test: null } },
  errors: {},
  allow: [],
  served: 'table',
  handler: ({ deps, app }) => deactivateStripeConfig(deps, app, app.appId),
});

const validateConfig = route({
  operationId: 'validateStripeConfig',
  method: 'post',
  path: '/api/v1/stripe/config/validate',
  tag: 'Stripe configuration',
  summary: 'Validate Stripe keys',
  description:
    "One call to Stripe (the key's account) with the key given, or with the app's saved key of that mode: the account id and mode, or STRIPE_KEY_INVALID.",
  auth: 'app',
  body: { schema: ValidateStripeConfigInput, example: { mode: 'test', secretKey: 'sk_test_51Hx0aB2cD3eF4g' }, maxBytes: MAX_CONFIG_BYTES },
  response: {
    schema: ValidateStripeConfigView,
    description: 'Stripe accepted the key',
    example: { valid: true, accountId: 'acct_1Nv0FGQ9RKHgCVdK', mode: 'test' },
  },
  errors: {
    STRIPE_KEY_INVALID: 'Stripe refused the key (unknown, revoked or expired)',
    STRIPE_KEY_MODE_MISMATCH: "the key's prefix does not match the mode",
    STRIPE_NOT_CONFIGURED: 'no secretKey given and no saved key of that mode',
    PROVIDER_ERROR: 'Stripe failed; retry with backoff',
    ...PROVIDER_ERRORS,
  },
  allow: [],
  served: 'table',
  handler: ({ deps, app, body }) => validateStripeConfig(deps, app, app.appId, body),
});

const webhookUrls = route({
  operationId: 'getStripeWebhookUrls',
  method: 'get',
  path: '/api/v1/stripe/webhook-urls',
  tag: 'Stripe configuration',
  summary: 'Webhook URLs for the Stripe Dashboard',
  description: "The endpoint URL to add in the app's own Stripe account, per mode; each is verified with that mode's signing secret.",
  auth: 'app',
  response: {
    schema: StripeWebhookUrlsView,
    description: 'One URL per mode',
    example: { test: 'https://payment.aquoris.ai/api/v1/webhooks/stripe/cm5app/test', live: 'https://payment.aquoris.ai/api/v1/webhooks/stripe/cm5app/live' },
  },
  errors: {},
  allow: ['HEAD'],
  served: 'table',
  handler: ({ deps, app }) => Promise.resolve(stripeWebhookUrls(deps, app.appId)),
});

const planPriceExample = { planSlug: 'pro', mode: 'test' as const, interval: 'month' as const, stripePriceId: 'price_1Nv0FG' };

const listPlanPrices = route({
  operationId: 'listStripePlanPrices',
  method: 'get',
  path: '/api/v1/stripe/plan-prices',
  tag: 'Stripe configuration',
  summary: "The plans' prices in the app's own Stripe account",
  auth: 'app',
  response: { schema: ListPlanStripePricesView, description: 'Every mapping of the app', example: { data: [planPriceExample] } },
  errors: {},
  allow: ['HEAD'],
  served: 'table',
  handler: async ({ deps, app }) => ({ data: await listPlanStripePrices(deps, app.appId) }),
});

const putPlanPrice = route({
  operationId: 'putStripePlanPrice',
  method: 'put',
  path: '/api/v1/stripe/plan-prices',
  tag: 'Stripe configuration',
  summary: "Map a plan to a price in the app's own Stripe account",
  description: "Checked against that account and mode first: the price must exist, be active and recurring, with the plan's amount, currency and interval.",
  auth: 'app',
  body: { schema: SetPlanStripePriceInput, example: planPriceExample, maxBytes: MAX_CONFIG_BYTES },
  response: { schema: PlanStripePriceView, description: 'The mapping as saved', example: planPriceExample },
  errors: {
    PLAN_NOT_FOUND: 'planSlug names no plan',
    STRIPE_PRICE_MISMATCH: 'the price is missing in that account, archived, one-time, or its amount, currency or interval differ',
    STRIPE_NOT_CONFIGURED: 'the app has no active keys of that mode',
    VALIDATION_ERROR: 'invalid body',
    PROVIDER_ERROR: 'Stripe failed; retry with backoff',
  },
  allow: [],
  served: 'table',
  handler: ({ deps, app, body }) => setPlanStripePrice(deps, app, app.appId, body),
});

export const appStripeWebhook = route({
  operationId: 'appStripeWebhook',
  method: 'post',
  path: '/api/v1/webhooks/stripe/{appId}/{mode}',
  tag: 'Stripe',
  summary: "An app's own Stripe account's webhook endpoint (for Stripe, not for apps)",
  description:
    "The URL GET /stripe/webhook-urls gives, per mode. Verified with that app's signing secret for that mode: an event signed for another app or mode is a 400 and nothing is recorded. " +
    "Then the same path as the platform endpoint: stored under its unique id, processed in the background, read back from the app's account.",
  auth: 'none',
  params: z.strictObject({ appId: z.string().min(1).max(64), mode: z.enum(['test', 'live']) }),
  headers: [{ name: 'Stripe-Signature', required: true, description: 't=<unix>,v1=<HMAC-SHA256 of "<t>.<raw body>">', example: 't=1767225600,v1=5257a8...' }],
  body: { schema: StripeEventBody, example: { id: 'evt_123', object: 'event', type: 'invoice.paid', data: { object: {} } }, maxBytes: 1024 * 1024 },
  response: { schema: StripeWebhookAck, description: 'Stored and queued, a duplicate, or a type the service ignores' },
  errors: {
    INVALID_SIGNATURE: "missing, invalid or stale signature, or signed with another app's or mode's secret; nothing is written",
    SERVICE_UNAVAILABLE: 'PostgreSQL is unreachable (Stripe retries)',
  },
  allow: [],
  served: 'external',
});

export const STRIPE_CONFIG_ROUTES = [getConfig, putConfig, deleteConfig, validateConfig, webhookUrls, listPlanPrices, putPlanPrice];
