import {
  CreateSessionBody,
  CreateSessionResponse,
  EligibilityResponse,
  ErrorResponse,
  CustomerView,
  ExternalUserId,
  HealthResponse,
  ListPlansResponse,
  UpsertCustomerBody,
} from '@aquoris/core/schemas';
import { z } from 'zod';
import { BODY_ENCODINGS, MAX_BODY_BYTES } from './v1.ts';

type JsonSchema = Record<string, unknown>;

/**
 * The OpenAPI 3.1 document of REST v1, generated from the same zod schemas the
 * handlers parse with, so the docs cannot drift from the behaviour.
 */
export function buildOpenApiDocument(serverUrl: string): JsonSchema {
  const components: Record<string, JsonSchema> = {};

  const ref = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
    const rewritten = JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
    const defs = (rewritten.$defs ?? {}) as Record<string, JsonSchema>;
    Object.assign(components, defs);
    delete rewritten.$defs;
    delete rewritten.$schema;
    return rewritten;
  };

  const json = (schema: z.ZodType) => ({ 'application/json': { schema: ref(schema, 'output') } });
  const error = (description: string) => ({ description, content: json(ErrorResponse) });
  const common = {
    '401': error('UNAUTHORIZED: missing or invalid API key'),
    '429': {
      ...error('RATE_LIMITED: over the per-app limit (100/min by default)'),
      headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds until the window resets' } },
    },
    '500': error('INTERNAL_ERROR: retry with backoff'),
  };
  /** Responses of every route that takes a JSON body. */
  const withBody = {
    '413': error(`PAYLOAD_TOO_LARGE: body over ${MAX_BODY_BYTES / 1024} KB (after decompression)`),
    '415': error(
      `UNSUPPORTED_MEDIA_TYPE: not application/json, a charset other than UTF-8, or a Content-Encoding other than ${BODY_ENCODINGS.filter((e) => e !== 'identity').join(', ')}`,
    ),
  };
  const userIdParam = {
    name: 'externalUserId',
    in: 'path',
    required: true,
    description: "Your app's user id, URL-encoded (UTF-8 percent-encoding)",
    // From the schema the route parses with, so the limits cannot drift from the behaviour.
    schema: ref(ExternalUserId, 'input'),
  };

  const paths = {
    '/api/v1/sessions': {
      post: {
        operationId: 'createSession',
        summary: 'Create a billing session',
        description: 'Returns a signed URL (valid 15 minutes) to redirect the user to. Visiting it sets a 2-hour session cookie.',
        requestBody: { required: true, content: { 'application/json': { schema: ref(CreateSessionBody, 'input') } } },
        responses: {
          '200': { description: 'The session URL', content: json(CreateSessionResponse) },
          ...common,
          ...withBody,
          '404': error('PLAN_NOT_FOUND: planSlug names no active plan'),
          '422': error('VALIDATION_ERROR: invalid body or returnUrl outside the app domain'),
        },
      },
    },
    '/api/v1/customers/{externalUserId}/subscription': {
      get: {
        operationId: 'getSubscription',
        summary: 'Check eligibility',
        description: 'Always 200. `base` is the current ACTIVE, TRIALING or PAST_DUE subscription, or null (also for unknown customers).',
        parameters: [userIdParam],
        responses: { '200': { description: 'Eligibility', content: json(EligibilityResponse) }, ...common, '422': error('VALIDATION_ERROR') },
      },
    },
    '/api/v1/customers/{externalUserId}': {
      put: {
        operationId: 'upsertCustomer',
        summary: 'Create or update a customer',
        description: 'Partial update: omitted fields are preserved. At least one field is required. Changes sync to Stripe in the background.',
        parameters: [userIdParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(UpsertCustomerBody, 'input') } } },
        responses: { '200': { description: 'The customer', content: json(CustomerView) }, ...common, ...withBody, '422': error('VALIDATION_ERROR') },
      },
    },
    '/api/v1/plans': {
      get: {
        operationId: 'listPlans',
        summary: 'List active plans',
        responses: { '200': { description: 'Active plans', content: json(ListPlansResponse) }, ...common },
      },
    },
    '/api/v1/webhooks/stripe': {
      post: {
        operationId: 'stripeWebhook',
        summary: 'Stripe webhook endpoint (for Stripe, not for apps)',
        description:
          'Configure it in the Stripe Dashboard with the six events checkout.session.completed, customer.subscription.updated, ' +
          'customer.subscription.deleted, invoice.paid, invoice.payment_failed and charge.refunded. Events are verified, stored ' +
          'and processed in the background; duplicates and any order are safe.',
        security: [],
        parameters: [
          { name: 'Stripe-Signature', in: 'header', required: true, schema: { type: 'string' }, description: 't=<unix>,v1=<HMAC-SHA256 of "<t>.<raw body>">' },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'A Stripe Event object' } } } },
        responses: {
          '200': { description: 'Stored (or an unhandled type, ignored)' },
          '400': error('INVALID_SIGNATURE: missing, invalid or stale signature; nothing is written and Stripe will not retry'),
          '500': error('INTERNAL_ERROR: the event could not be stored; Stripe retries with backoff'),
        },
      },
    },
    '/api/health': {
      get: {
        operationId: 'health',
        summary: 'Health check (no auth)',
        security: [],
        responses: {
          '200': { description: 'All checks passed', content: json(HealthResponse) },
          '503': { description: 'Degraded: a check failed', content: json(HealthResponse) },
        },
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Aquoris Billing REST API',
      version: '1.0.0',
      description: 'Server-to-server API for Aquoris apps. Errors are `{"error":{"code","message"}}`.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: "The app's API key" } },
      schemas: components,
    },
  };
}
