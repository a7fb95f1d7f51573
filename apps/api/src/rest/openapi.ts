import { ERROR_HTTP_STATUS, GENERIC_MESSAGES, type ErrorCode } from '@aquoris/core';
import { ErrorResponse } from '@aquoris/core/schemas';
import { z } from 'zod';
import { BODY_ENCODINGS } from './body.ts';
import { ROUTES, MAX_BODY_BYTES } from './routes.ts';
import type { RouteDefinition } from './route.ts';

type Json = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';
const TAGS: Record<string, string> = {
  Sessions: 'Send a user to their billing pages',
  Customers: "Your users' billing records and what they are entitled to",
  Plans: 'What can be bought',
  Checkout: 'Confirm a purchase when the user comes back from Stripe Checkout',
  'End users': "Called from an app's own front end with the user's billing-session token",
  Operators: 'Every app at once, with an operator API token (aqb_op_...)',
  Wallets: "Your users' prepaid wallets: deposits through Stripe Checkout, debits, balances and history",
  Invoices: 'Collecting an open invoice by card',
  Stripe: 'Called by Stripe, not by apps',
  Operations: 'Health and this document',
};

/** Every schema with an id, for each direction, as components: zod's registry conversion, refs pointing at components. */
function componentsFor(io: 'input' | 'output'): Record<string, Json> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io, target: 'draft-2020-12', unrepresentable: 'any', uri: (id) => `${SCHEMAS}${id}` });
  const components: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // A component is named by its key; `$id`/`$schema` belong to standalone JSON Schema documents.
    const component = { ...(schema as Json) };
    delete component.$id;
    delete component.$schema;
    components[id] = component;
  }
  return components;
}

function idOf(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('Every request and response schema of the route table needs an id (.meta({ id }))');
  return id;
}

/** The ids `schema` refers to, transitively (reading the generated refs). */
function collectRefs(value: unknown, components: Record<string, Json>, into: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((item) => collectRefs(item, components, into));
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith(SCHEMAS)) {
      const id = inner.slice(SCHEMAS.length);
      if (!into.has(id)) {
        into.add(id);
        collectRefs(components[id], components, into);
      }
    } else collectRefs(inner, components, into);
  }
}

const ref = (schema: z.ZodType) => ({ $ref: `${SCHEMAS}${idOf(schema)}` });

/** What the pipeline itself answers, by the route's shape: auth, body limits, the parser, our own failures. */
function pipelineErrors(route: RouteDefinition): Partial<Record<ErrorCode, string>> {
  return {
    ...(route.auth === 'app' && {
      UNAUTHORIZED: 'Missing or invalid API key',
      RATE_LIMITED: `Over the per-app limit (100/min by default), or too many invalid keys from one address; retry after Retry-After seconds`,
      SERVICE_UNAVAILABLE: 'PostgreSQL is unreachable or did not answer in time; retry after Retry-After seconds',
    }),
    ...(route.auth === 'operator' && {
      UNAUTHORIZED: 'Missing, unknown or revoked operator token',
      ...(route.method !== 'get' && { FORBIDDEN: 'A READ_ONLY token: changes need a READ_WRITE one' }),
    }),
    ...(route.auth === 'session' && { UNAUTHORIZED: 'Missing, expired or tampered billing-session token, or its user is gone' }),
    ...(route.body && { PAYLOAD_TOO_LARGE: `Body over ${route.body.maxBytes / 1024} KB (after decompression)` }),
    ...(route.body &&
      route.auth !== 'none' && {
        UNSUPPORTED_MEDIA_TYPE: `Not application/json, a charset other than UTF-8, or a Content-Encoding other than ${BODY_ENCODINGS.filter((e) => e !== 'identity').join(', ')}`,
        VALIDATION_ERROR: 'Malformed JSON, or a body that is not a JSON object',
      }),
    REQUEST_HEADERS_TOO_LARGE: 'URL plus headers over 16 KB (the connection is closed)',
    INTERNAL_ERROR: 'Our fault: retry with backoff',
  };
}

const requestIdHeader = { $ref: '#/components/headers/RequestId' };

/** Responses grouped by status: one example per code, so each status shows its own. */
function errorResponses(route: RouteDefinition): Record<string, Json> {
  const byStatus = new Map<number, [ErrorCode, string][]>();
  const all = { ...pipelineErrors(route), ...route.errors } as Record<ErrorCode, string>;
  for (const [code, when] of Object.entries(all) as [ErrorCode, string][]) {
    const status = ERROR_HTTP_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), [code, when]]);
  }
  const responses: Record<string, Json> = {};
  for (const [status, entries] of [...byStatus].sort(([a], [b]) => a - b)) {
    const examples = Object.fromEntries(
      entries.map(([code, when]) => [code, { summary: when, value: { error: { code, message: status >= 500 ? (GENERIC_MESSAGES[code] ?? when) : when } } }]),
    );
    responses[String(status)] = {
      description: entries.map(([code, when]) => `${code}: ${when}`).join('; '),
      headers: { 'X-Request-Id': requestIdHeader, ...((status === 429 || status === 503) && { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }) },
      content: { 'application/json': { schema: ref(ErrorResponse), examples } },
    };
  }
  return responses;
}

function parameters(route: RouteDefinition): Json[] {
  const path = Object.entries(route.params?.shape ?? {}).map(([name, schema]) => {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
    const { description, example, ...rest } = json;
    delete rest.$schema;
    return { name, in: 'path', required: true, description: `${String(description ?? name)}; percent-encoded as UTF-8`, example, schema: rest };
  });
  const query = Object.entries(route.query?.shape ?? {}).map(([name, schema]) => {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
    const { description, example, ...rest } = json;
    delete rest.$schema;
    const required = !(schema as z.ZodType).safeParse(undefined).success;
    return { name, in: 'query', required, ...(description !== undefined && { description }), ...(example !== undefined && { example }), schema: rest };
  });
  const headers = (route.headers ?? []).map(({ name, description, required, example }) => ({
    name,
    in: 'header',
    required,
    description,
    example,
    schema: { type: 'string' },
  }));
  return [...path, ...query, ...headers, { $ref: '#/components/parameters/RequestId' }];
}

function operation(route: RouteDefinition, requestSchema: (schema: z.ZodType) => Json): Json {
  const success = (description: string, example: unknown) => ({
    description,
    headers: { 'X-Request-Id': requestIdHeader },
    content: { 'application/json': { schema: ref(route.response.schema), ...(example !== undefined && { example }) } },
  });
  const alternates = Object.fromEntries(Object.entries(route.alternates ?? {}).map(([status, description]) => [status, success(description, undefined)]));
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description && { description: route.description }),
    ...(route.auth === 'none' && { security: [] }),
    ...(route.auth === 'operator' && { security: [{ operatorToken: [] }] }),
    ...(route.auth === 'session' && { security: [{ sessionToken: [] }] }),
    parameters: parameters(route),
    ...(route.body && {
      requestBody: { required: true, content: { 'application/json': { schema: requestSchema(route.body.schema), example: route.body.example } } },
    }),
    responses: { '200': success(route.response.description, route.response.example), ...alternates, ...errorResponses(route) },
  };
}

/**
 * The OpenAPI 3.1 document of the REST contract, generated from the route
 * table: paths from the routes, components from zod's JSON Schema of the same
 * schemas the handlers and core parse with (inputs as clients send them, so a
 * field with a default is optional; outputs as the server answers).
 */
export function buildOpenApiDocument(serverUrl: string, routes: readonly RouteDefinition[] = ROUTES): Json {
  const input = componentsFor('input');
  const output = componentsFor('output');
  const paths: Record<string, Record<string, Json>> = {};
  const used = { input: new Set<string>(), output: new Set<string>([idOf(ErrorResponse)]) };
  // Request bodies are inlined, not components: a client-side field with a default is optional only there
  // (openapi-typescript's defaultNonNullable makes it required in a component, which describes both directions).
  const requestSchema = (schema: z.ZodType): Json => {
    const inline = input[idOf(schema)]!;
    collectRefs(inline, input, used.input);
    return { title: idOf(schema), ...inline };
  };
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method] = operation(route, requestSchema);
    used.output.add(idOf(route.response.schema));
  }
  const schemas: Record<string, Json> = {};
  for (const io of ['input', 'output'] as const) {
    const components = io === 'input' ? input : output;
    const ids = new Set<string>();
    for (const id of used[io]) collectRefs({ $ref: `${SCHEMAS}${id}` }, components, ids);
    for (const id of ids) {
      const schema = components[id]!;
      if (schemas[id] && JSON.stringify(schemas[id]) !== JSON.stringify(schema)) {
        throw new Error(`Schema ${id} differs between requests and responses: give the request form its own id`);
      }
      schemas[id] = schema;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Aquoris Billing REST API',
      version: '1.0.0',
      description: `Server-to-server API for Aquoris apps. Errors are \`{"error":{"code","message"}}\`; JSON bodies are at most ${MAX_BODY_BYTES / 1024} KB.`,
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: "The app's API key (aqb_...)" },
        operatorToken: { type: 'http', scheme: 'bearer', description: 'An operator API token (aqb_op_...), created in the admin console or with the CLI' },
        sessionToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The billing-session token: the last path segment of the url POST /api/v1/sessions returns',
        },
      },
      parameters: {
        RequestId: {
          name: 'X-Request-Id',
          in: 'header',
          required: false,
          description: 'Your own request id, echoed in the response (otherwise one is assigned)',
          schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
          example: 'req_abc123',
        },
      },
      headers: {
        RequestId: { description: 'The request id: quote it when reporting a problem', schema: { type: 'string' }, example: 'req_abc123' },
        RetryAfter: { description: 'Seconds to wait before retrying: on a 429 until the window resets', schema: { type: 'integer', minimum: 1 }, example: 42 },
      },
      schemas,
    },
  };
}
