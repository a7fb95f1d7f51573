import {
  checkHealth,
  createBillingSession,
  createCustomerPortalSession,
  createInvoicePaymentIntent,
  createWalletDeposit,
  debitWallet,
  getWallet,
  listPublicPlans,
  upsertCustomer,
  verifyCheckoutForApp,
  verifyWalletDeposit,
} from '@aquoris/core';
import {
  CreateDebitBody,
  CreateDepositBody,
  CreateDepositResponse,
  CreateSessionBody,
  CreateSessionResponse,
  DebitResponse,
  VerifyDepositQuery,
  VerifyDepositResponse,
  WalletQuery,
  WalletView,
  CustomerPathParams,
  CustomerView,
  EligibilityResponse,
  HealthResponse,
  InvoicePaymentIntentParams,
  InvoicePaymentIntentView,
  ListPlansResponse,
  PortalSessionBody,
  PortalSessionResponse,
  StripeEventBody,
  StripeWebhookAck,
  UpsertCustomerBody,
  VerifiedCheckout,
  VerifyCheckoutQuery,
} from '@aquoris/core/schemas';
import { z } from 'zod';
import { readEligibility } from './fast-eligibility.ts';
import { ME_ROUTES } from './me-routes.ts';
import { OPERATOR_ROUTES } from './operator-routes.ts';
import { route, type RouteDefinition } from './route.ts';
import { appStripeWebhook, STRIPE_CONFIG_ROUTES } from './stripe-config-routes.ts';

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
    VALIDATION_ERROR: 'invalid body',
    REDIRECT_NOT_ALLOWED: "returnUrl is not on one of the app's allowed origins (the message names the field and the origin)",
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

const portalSession = route({
  operationId: 'createPortalSession',
  method: 'post',
  path: '/api/v1/customers/{externalUserId}/portal-session',
  tag: 'Customers',
  summary: 'Open the Stripe Customer Portal',
  description:
    'Returns the URL of a Stripe Customer Portal session for this customer: change the card, see invoices, switch between monthly and yearly, cancel. ' +
    "Each change reaches this service through Stripe webhooks and shows in eligibility. `returnUrl` must be on one of the app's allowed origins.",
  auth: 'app',
  params: CustomerPathParams,
  body: { schema: PortalSessionBody, example: { returnUrl: 'https://vega.aquoris.ai/settings' }, maxBytes: MAX_BODY_BYTES },
  response: { schema: PortalSessionResponse, description: 'The portal URL', example: { url: 'https://billing.stripe.com/p/session/test_123' } },
  errors: {
    CUSTOMER_NOT_FOUND: 'no customer with this externalUserId in the app',
    NO_BILLING_ACCOUNT: 'the customer has no Stripe customer yet (never started a checkout)',
    REDIRECT_NOT_ALLOWED: "returnUrl is not on one of the app's allowed origins",
    VALIDATION_ERROR: 'invalid body or externalUserId',
    PROVIDER_ERROR: 'Stripe failed; retry with backoff',
  },
  allow: [],
  served: 'table',
  handler: ({ deps, app, params, body }) => createCustomerPortalSession(deps, app, params.externalUserId, body),
});

const verifyCheckout = route({
  operationId: 'verifyCheckout',
  method: 'get',
  path: '/api/v1/checkout/verify',
  tag: 'Checkout',
  summary: 'Verify a completed Checkout',
  description:
    'Call it when the user lands on the success URL with `session_id`: records and returns the subscription the Checkout created, without waiting for ' +
    'the webhook. Idempotent: any mix of calls and the `checkout.session.completed` webhook leaves one subscription and one invoice.',
  auth: 'app',
  query: VerifyCheckoutQuery,
  response: {
    schema: VerifiedCheckout,
    description: 'The Checkout is complete; its subscription',
    example: {
      status: 'complete',
      externalUserId: 'user_123',
      subscription: {
        id: 'cm5sub123',
        status: 'ACTIVE',
        plan: { slug: 'pro', name: 'Aquoris PRO', interval: 'month' },
        currentPeriodEnd: '2026-05-06T00:00:00.000Z',
        cancelAtPeriodEnd: false,
        source: 'CHECKOUT',
      },
    },
  },
  errors: {
    NOT_FOUND: 'no Checkout Session with this id was created for this app',
    CHECKOUT_NOT_COMPLETED: 'the session is open (not paid yet) or expired; the message says which',
    VALIDATION_ERROR: 'session_id is missing or not a cs_ id, or an unknown query parameter',
    PROVIDER_ERROR: 'Stripe failed; retry with backoff',
  },
  allow: ['HEAD'],
  served: 'table',
  cacheControl: 'no-store',
  handler: ({ deps, app, query }) => verifyCheckoutForApp(deps, app, query),
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

const WALLET_CUSTOMER = { CUSTOMER_NOT_FOUND: 'no customer with this externalUserId in your app (create it with PUT /customers/{externalUserId})' } as const;

const walletDeposit = route({
  operationId: 'createWalletDeposit',
  method: 'post',
  path: '/api/v1/customers/{externalUserId}/wallet/deposits',
  tag: 'Wallets',
  summary: 'Start a wallet deposit',
  description:
    'A Stripe Checkout Session in payment mode for 500 to 50,000 minor units; redirect the customer to `url`. ' +
    'Checkout returns to successUrl (put `{CHECKOUT_SESSION_ID}` in it), then call the verify endpoint; the webhook credits it too, once in all.',
  auth: 'app',
  params: CustomerPathParams,
  body: {
    schema: CreateDepositBody,
    example: {
      amountCents: 2500,
      currency: 'usd',
      successUrl: 'https://vega.aquoris.ai/wallet?session_id={CHECKOUT_SESSION_ID}',
      cancelUrl: 'https://vega.aquoris.ai/wallet',
    },
    maxBytes: MAX_BODY_BYTES,
  },
  response: { schema: CreateDepositResponse, description: 'The Checkout URL', example: { url: 'https://checkout.stripe.com/c/pay/cs_test_a1b2c3' } },
  errors: {
    BAD_REQUEST: 'amountCents outside 500..50,000 (the message gives the limits)',
    REDIRECT_NOT_ALLOWED: "successUrl or cancelUrl is not on one of your app's allowed origins (the message names the field)",
    ...WALLET_CUSTOMER,
    VALIDATION_ERROR: 'a body that breaks the schema (a missing field, an unknown currency)',
    PROVIDER_ERROR: 'Stripe failed; retry with backoff',
  },
  allow: [],
  served: 'table',
  handler: ({ deps, app, params, body }) => createWalletDeposit(deps, app, params.externalUserId, body),
});

const walletDepositVerify = route({
  operationId: 'verifyWalletDeposit',
  method: 'get',
  path: '/api/v1/wallet/deposits/verify',
  tag: 'Wallets',
  summary: 'Verify a wallet deposit',
  description: 'After Checkout redirects back: credits the paid deposit if the webhook has not yet. Idempotent: any number of calls credit once.',
  auth: 'app',
  query: VerifyDepositQuery,
  response: {
    schema: VerifyDepositResponse,
    description: 'Whether the deposit is in the wallet',
    example: { deposited: true, amountCents: 2500, currency: 'usd' },
  },
  errors: { NOT_FOUND: 'no wallet deposit of your app has this session id', VALIDATION_ERROR: 'session_id missing' },
  allow: ['HEAD'],
  served: 'table',
  cacheControl: 'no-store',
  handler: ({ deps, app, query }) => verifyWalletDeposit(deps, app, query),
});

const walletDebit = route({
  operationId: 'createWalletDebit',
  method: 'post',
  path: '/api/v1/customers/{externalUserId}/wallet/debits',
  tag: 'Wallets',
  summary: 'Debit a wallet',
  description: 'Takes amountCents out of the wallet, never below zero. A replayed idempotencyKey answers with the first result.',
  auth: 'app',
  params: CustomerPathParams,
  body: {
    schema: CreateDebitBody,
    example: { amountCents: 300, currency: 'usd', description: 'Tool call: summarise', idempotencyKey: 'call_9f8e7d' },
    maxBytes: MAX_BODY_BYTES,
  },
  response: {
    schema: DebitResponse,
    description: 'The debit and the balance after it',
    example: {
      entry: {
        id: 'cm5wle1',
        kind: 'DEBIT',
        amountCents: -300,
        currency: 'usd',
        balanceAfterCents: 2200,
        description: 'Tool call: summarise',
        createdAt: '2026-05-06T00:00:00.000Z',
      },
      balanceCents: 2200,
    },
  },
  errors: {
    INSUFFICIENT_FUNDS: 'the balance is less than amountCents (the message gives the balance)',
    IDEMPOTENCY_KEY_REUSED: 'idempotencyKey was used already with other parameters',
    ...WALLET_CUSTOMER,
    VALIDATION_ERROR: 'a body that breaks the schema',
  },
  allow: [],
  served: 'table',
  handler: ({ deps, app, params, body }) => debitWallet(deps, app, params.externalUserId, body),
});

const wallet = route({
  operationId: 'getWallet',
  method: 'get',
  path: '/api/v1/customers/{externalUserId}/wallet',
  tag: 'Wallets',
  summary: 'Wallet balances and history',
  description: "Balances per currency and the ledger newest first, paged with `cursor` (the previous page's nextCursor).",
  auth: 'app',
  params: CustomerPathParams,
  query: WalletQuery,
  response: {
    schema: WalletView,
    description: 'Balances and one page of history',
    example: {
      balances: [{ currency: 'usd', balanceCents: 2200 }],
      history: [
        {
          id: 'cm5wle1',
          kind: 'DEBIT',
          amountCents: -300,
          currency: 'usd',
          balanceAfterCents: 2200,
          description: 'Tool call: summarise',
          createdAt: '2026-05-06T00:01:00.000Z',
        },
        {
          id: 'cm5wle0',
          kind: 'DEPOSIT',
          amountCents: 2500,
          currency: 'usd',
          balanceAfterCents: 2500,
          description: 'Deposit through Stripe Checkout',
          refunded: false,
          createdAt: '2026-05-06T00:00:00.000Z',
        },
      ],
      nextCursor: null,
    },
  },
  errors: { ...WALLET_CUSTOMER, VALIDATION_ERROR: 'an unknown query parameter, a bad limit or a cursor this list did not give out' },
  allow: ['HEAD'],
  served: 'table',
  cacheControl: 'no-store',
  handler: ({ deps, app, params, query }) => getWallet(deps, app, params.externalUserId, query),
});

const invoicePaymentIntent = route({
  operationId: 'createInvoicePaymentIntent',
  method: 'post',
  path: '/api/v1/invoices/{invoiceId}/payment-intent',
  tag: 'Invoices',
  summary: 'Create or reuse the payment intent that pays an open invoice',
  description:
    "For an open invoice of your app (one an operator issued, or a Stripe invoice whose payment failed): the invoice's " +
    'payment intent, created on the first call and returned again on every later one (concurrent calls too) while it can ' +
    'still collect. Confirm it with Stripe.js using `clientSecret`; payment_intent.succeeded marks the invoice PAID. No body.',
  auth: 'app',
  params: InvoicePaymentIntentParams,
  response: {
    schema: InvoicePaymentIntentView,
    description: 'The payment intent',
    example: { id: 'pi_3Q', invoiceId: 'cm5inv123', clientSecret: 'pi_3Q_secret_abc', amount: 150000, currency: 'thb', status: 'requires_payment_method' },
  },
  errors: {
    INVOICE_NOT_FOUND: 'no invoice of your app has this id',
    INVOICE_ALREADY_PAID: 'the invoice is paid',
    INVOICE_VOID: 'the invoice is void',
    INVOICE_NOT_PAYABLE: 'the invoice is not open (a draft, uncollectible), or a Stripe invoice Stripe has not tried to collect yet',
    PROVIDER_ERROR: 'Stripe failed; retry with backoff',
    PROVIDER_OBJECT_MISSING: 'Stripe does not know the customer or payment intent this service holds the id of: an operator must look',
    SERVICE_UNAVAILABLE: 'Stripe is not configured on this server',
  },
  allow: [],
  served: 'table',
  handler: ({ deps, app, params }) => createInvoicePaymentIntent(deps, app, { invoiceId: params.invoiceId }),
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
    'Configure it in the Stripe Dashboard with the eight events checkout.session.completed, customer.subscription.updated, ' +
    'customer.subscription.deleted, invoice.paid, invoice.payment_failed, charge.refunded, payment_intent.succeeded and ' +
    'payment_intent.payment_failed. Events are verified, stored ' +
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
export const ROUTES: readonly RouteDefinition[] = [
  sessions,
  subscription,
  customer,
  portalSession,
  plans,
  verifyCheckout,
  invoicePaymentIntent,
  walletDeposit,
  walletDepositVerify,
  walletDebit,
  wallet,
  ...ME_ROUTES,
  ...OPERATOR_ROUTES,
  health,
  ...STRIPE_CONFIG_ROUTES,
  stripeWebhook,
  appStripeWebhook,
  openApiDocument,
];
