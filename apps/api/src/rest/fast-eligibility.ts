import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, ExternalUserId, getEligibilityEntry, parseInput, toAppError, type AuthenticatedApp } from '@aquoris/core';
import type { ApiDeps } from '../context.ts';
import { errorReply } from '../http/errors.ts';
import { authorizeApp, authorizeAppLocally, type AuthOptions } from '../http/pipeline.ts';
import { elapsedMs, logRequest, pathOf, requestIdFor, responseHeaders } from '../http/request-context.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { EligibilityCache } from './eligibility-cache.ts';

/** The route's label in the request-duration metric: the table route's Express template. */
const ROUTE_LABEL = '/api/v1/customers/:externalUserId/subscription';
const ROUTE = /^\/api\/v1\/customers\/([^/?#]+)\/subscription\/?(?:\?.*)?$/;

export interface FastEligibilityOptions extends AuthOptions {
  cache: EligibilityCache;
  metrics?: Metrics;
}

/** Eligibility for one user, through the cache: shared by the fast path and the table's route. Invalid ids reject (never throw). */
export async function readEligibility(deps: ApiDeps, cache: EligibilityCache, app: AuthenticatedApp, rawId: string): Promise<string> {
  const externalUserId = parseInput(ExternalUserId, rawId);
  return cache.read(EligibilityCache.key(app.appId, externalUserId), () => getEligibilityEntry(deps, app, externalUserId));
}

function decodeId(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError('VALIDATION_ERROR', 'externalUserId is not valid URL encoding');
  }
}

/**
 * `GET /api/v1/customers/:id/subscription` on plain node:http, in front of
 * Express: the route every client app calls on every gated request, where
 * Express's routing alone would cost most of its throughput
 * (docs/performance.md). It is the same route as the table's (routes.ts), run
 * through the same pipeline functions: authorizeApp (key and rate limit),
 * errorReply (the envelope), responseHeaders and logRequest.
 */
export function createFastEligibility(deps: ApiDeps, options: FastEligibilityOptions) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET') return false;
    const match = ROUTE.exec(req.url ?? '');
    if (!match) return false;
    handle(deps, options, req, res, match[1]!);
    return true;
  };
}

interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  started: number;
  requestId: string;
  app: AuthenticatedApp | undefined;
  metrics: Metrics | undefined;
}

/** The response, its log line and its timing, through the pipeline's headers and logRequest. */
function respond(deps: ApiDeps, r: Request, status: number, body: string, extraHeaders?: Record<string, string>): void {
  const headers = responseHeaders(r.requestId);
  headers.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(body)));
  for (const name in extraHeaders) headers.push(name, extraHeaders[name]!);
  r.res.writeHead(status, headers).end(body);
  const ms = elapsedMs(r.started);
  logRequest(deps.log, { requestId: r.requestId, method: r.req.method, path: pathOf(r.req.url ?? ''), status, ms, appId: r.app?.appId });
  r.metrics?.observeRequest(r.req.method, ROUTE_LABEL, status, ms);
}

/** The error envelope (errorReply) for whatever went wrong. */
function fail(deps: ApiDeps, r: Request, error: unknown): void {
  const reply = errorReply(error, toAppError(error), () => deps.log.child({ requestId: r.requestId, appId: r.app?.appId }));
  respond(deps, r, reply.status, reply.body, reply.headers);
}

/**
 * Serves one request. When the key, the rate-limit lease and the answer are
 * all in memory (the steady state of a busy app) it answers synchronously,
 * with no promise and no closure; otherwise the same steps run
 * asynchronously (database, Redis).
 */
function handle(deps: ApiDeps, options: FastEligibilityOptions, req: IncomingMessage, res: ServerResponse, rawId: string): void {
  const r: Request = { req, res, started: performance.now(), requestId: requestIdFor(req.headers['x-request-id']), app: undefined, metrics: options.metrics };
  let id: string | undefined;
  try {
    r.app = authorizeAppLocally(options, req.headers.authorization);
    if (r.app) id = decodeId(rawId);
  } catch (error) {
    return fail(deps, r, error);
  }
  // The cache holds only ids that passed ExternalUserId, so a hit needs no parsing; a miss is parsed
  // (and refused when invalid) by readEligibility.
  const body = r.app && id !== undefined ? options.cache.get(EligibilityCache.key(r.app.appId, id)) : undefined;
  if (body !== undefined) return respond(deps, r, 200, body);
  load(deps, options, r, id ?? rawId, id !== undefined).then(
    (loaded) => respond(deps, r, 200, loaded),
    (error: unknown) => fail(deps, r, error),
  );
}

/** The slow path: the key or the lease from the database or Redis, the answer from the database. */
async function load(deps: ApiDeps, options: FastEligibilityOptions, r: Request, id: string, decoded: boolean): Promise<string> {
  r.app ??= await authorizeApp(deps, options, r.req.headers, r.req.socket.remoteAddress);
  return readEligibility(deps, options.cache, r.app, decoded ? id : decodeId(id));
}
