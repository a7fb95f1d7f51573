import { AppError, parseInput, type AuthenticatedApp, type AuthenticatedOperator, type ErrorCode, type SubscriberActor } from '@aquoris/core';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { ApiDeps } from '../context.ts';
import { methodNotAllowed } from '../http/errors.ts';
import type { EligibilityCache } from './eligibility-cache.ts';

export type Method = 'get' | 'post' | 'put' | 'delete';

/** A handler's answer that is already JSON text (the eligibility cache stores answers serialised). */
export interface JsonText {
  readonly jsonText: string;
}

/** What the handlers share: built once by the composition root. */
export interface RouteServices {
  deps: ApiDeps;
  eligibilityCache: EligibilityCache;
}

export interface HandlerInput<P> extends RouteServices {
  /** The authenticated app; set for every `auth: 'app'` route. */
  app: AuthenticatedApp;
  /** The operator token's holder; set for every `auth: 'operator'` route. */
  operator: AuthenticatedOperator;
  /** The end user of the billing-session token; set for every `auth: 'session'` route. */
  subscriber: SubscriberActor;
  params: P;
  /** The query string as received: the core service parses it with the route's `query` schema. */
  query: unknown;
  /** The JSON body as received: the core service parses it with the route's `body` schema. */
  body: unknown;
  req: Request;
}

export interface RouteResponse<S extends z.ZodType = z.ZodType> {
  schema: S;
  description: string;
  /** A realistic body for the docs; the schema's own example when omitted. */
  example?: z.output<S>;
}

/**
 * One REST route, declared once: what it takes, what it answers, which error
 * codes it documents, its auth and its docs. Express registration (with its
 * 405), the OpenAPI document and the SDK's types all follow from this.
 */
export interface RouteDefinition<P extends z.ZodObject = z.ZodObject, S extends z.ZodType = z.ZodType> {
  operationId: string;
  method: Method;
  /** OpenAPI style: `/api/v1/customers/{externalUserId}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /**
   * 'app': a client app's API key (Bearer), rate limited per app; 'operator': an operator API token
   * (aqb_op_..., Bearer; non-GET routes need a READ_WRITE one); 'session': an end user's billing-session
   * token (Bearer, CORS for the app's origins); 'none': public.
   */
  auth: 'app' | 'operator' | 'session' | 'none';
  params?: P;
  /** The query string's parameters (documented; the core service parses them with this schema). */
  query?: z.ZodObject;
  /** The JSON body, as the core service parses it. */
  body?: { schema: z.ZodType; example: unknown; maxBytes: number };
  /** Request headers beyond X-Request-Id (documented; read by the handler). */
  headers?: readonly { name: string; description: string; required: boolean; example: string }[];
  response: RouteResponse<S>;
  /** Other successful or degraded answers with the same body schema, by status (health's 503). */
  alternates?: Readonly<Record<number, string>>;
  /** The errors this route itself can answer with, and when; the pipeline's own (auth, body, 500) are added from the route's shape. */
  errors: Partial<Record<ErrorCode, string>>;
  /** Extra methods answered the same way (HEAD for GETs, by Express). */
  allow: readonly string[];
  /** Served by this table's registration; 'external' when another router serves it (the Stripe webhook, the document itself). */
  served: 'table' | 'external';
  statusOf?: (output: z.output<S>) => number;
  cacheControl?: string;
  handler?: (input: HandlerInput<z.output<P>>) => Promise<z.input<S> | JsonText>;
}

/** Declares a route; the generic parameters tie the handler to its schemas. */
export function route<P extends z.ZodObject, S extends z.ZodType>(definition: RouteDefinition<P, S>): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

/** `/a/{b}/c` → `/a/:b/c`, relative to `prefix`. */
function expressPath(path: string, prefix: string): string {
  if (!path.startsWith(prefix)) throw new Error(`Route ${path} is not under ${prefix}`);
  return path.slice(prefix.length).replace(/\{(\w+)\}/g, ':$1');
}

function appOf(req: Request): AuthenticatedApp {
  if (!req.ctx.app) throw new AppError('UNAUTHORIZED', 'Missing API key');
  return req.ctx.app;
}

function operatorOf(req: Request): AuthenticatedOperator {
  if (!req.ctx.operator) throw new AppError('UNAUTHORIZED', 'Missing operator token');
  return req.ctx.operator;
}

function subscriberOf(req: Request): SubscriberActor {
  if (!req.ctx.subscriber) throw new AppError('UNAUTHORIZED', 'Missing billing-session token');
  return req.ctx.subscriber;
}

function send(res: Response, definition: RouteDefinition, output: unknown): void {
  if (definition.cacheControl) res.set('Cache-Control', definition.cacheControl);
  if (output && typeof output === 'object' && 'jsonText' in output) {
    res.type('json').send((output as JsonText).jsonText);
    return;
  }
  res.status(definition.statusOf?.(output) ?? 200).json(output);
}

function handlerOf(services: RouteServices, definition: RouteDefinition): RequestHandler {
  const { handler, params } = definition;
  if (!handler) throw new Error(`Route ${definition.operationId} is served by the table but has no handler`);
  return async (req, res) => {
    const input = {
      ...services,
      app: definition.auth === 'app' ? appOf(req) : (undefined as unknown as AuthenticatedApp),
      operator: definition.auth === 'operator' ? operatorOf(req) : (undefined as unknown as AuthenticatedOperator),
      subscriber: definition.auth === 'session' ? subscriberOf(req) : (undefined as unknown as SubscriberActor),
      params: params ? parseInput(params, req.params) : {},
      query: { ...req.query },
      body: req.body ?? {},
      req,
    };
    send(res, definition, await handler(input));
  };
}

/**
 * Registers the table's routes under `prefix` on `router`: each path once,
 * its methods, then a 405 with `Allow` for any other method. Routes served
 * by another router ('external') are only documented.
 */
export function mountRoutes(router: Router, services: RouteServices, routes: readonly RouteDefinition[], prefix: string): void {
  const byPath = new Map<string, RouteDefinition[]>();
  for (const definition of routes.filter((r) => r.served === 'table')) {
    byPath.set(definition.path, [...(byPath.get(definition.path) ?? []), definition]);
  }
  for (const [path, definitions] of byPath) {
    const entry = router.route(expressPath(path, prefix));
    for (const definition of definitions) {
      entry[definition.method](handlerOf(services, definition));
    }
    entry.all(methodNotAllowed(definitions.flatMap((d) => [d.method.toUpperCase(), ...d.allow])));
  }
}
