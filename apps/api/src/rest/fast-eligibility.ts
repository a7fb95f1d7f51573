import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, ExternalUserId, getEligibilityEntry, parseInput, toAppError, toErrorBody, type AuthenticatedApp } from '@aquoris/core';
import type { ApiDeps } from '../context.ts';
import { elapsedMs, logRequest, pathOf, requestIdFor, SECURITY_HEADERS } from '../http/request-context.ts';
import { cachedApp, resolveApp, type ApiKeyCache } from './api-key-auth.ts';
import { EligibilityCache } from './eligibility-cache.ts';
import { enforceRateLimit, throwIfRefused, type RedisRateLimiter } from './rate-limit.ts';

const ROUTE = /^\/api\/v1\/customers\/([^/?#]+)\/subscription\/?(?:\?.*)?$/;

export interface FastEligibilityOptions {
  keyCache: ApiKeyCache;
  limiter: RedisRateLimiter;
  cache: EligibilityCache;
  trustProxy: boolean;
}

/** Eligibility for one user, through the cache: shared by the fast path and the Express route. Invalid ids reject (never throw). */
export async function readEligibility(deps: ApiDeps, cache: EligibilityCache, app: AuthenticatedApp, rawId: string): Promise<string> {
  const externalUserId = parseInput(ExternalUserId, rawId);
  return cache.read(EligibilityCache.key(app.appId, externalUserId), () => getEligibilityEntry(deps, app, externalUserId));
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return first || req.socket.remoteAddress || 'unknown';
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
 * Express: the route every client app calls on every gated request. Express's
 * routing alone costs this route most of its throughput (docs/performance.md);
 * everything else (auth, rate limit, the core service, the error envelope,
 * the log line) is the same code the Express routes use.
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

// The response head as a flat [name, value, ...] list: Node takes it as is, where an object literal built per
// request (spread, then two more keys) cost shape transitions and a for-in walk.
const JSON_HEADERS: readonly string[] = [...Object.entries(SECURITY_HEADERS).flat(), 'Content-Type', 'application/json; charset=utf-8'];

interface Answer {
  status: number;
  body: string;
  retryAfterSeconds?: number;
}

function errorAnswer(deps: ApiDeps, error: unknown, requestId: string): Answer {
  const appError = toAppError(error);
  if (!appError.isClientError) deps.log.error({ err: error, requestId }, 'request failed');
  const retryAfter = appError.details?.retryAfterSeconds;
  return { status: appError.status, body: JSON.stringify(toErrorBody(appError)), ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}) };
}

/**
 * Serves one request. When the key, the rate-limit lease and the answer are
 * all in memory (the steady state of a busy app) it answers synchronously,
 * with no promise at all; otherwise the same steps run asynchronously
 * (database, Redis). Both paths make the same checks in the same order.
 */
function handle(deps: ApiDeps, options: FastEligibilityOptions, req: IncomingMessage, res: ServerResponse, rawId: string): void {
  const started = performance.now();
  const requestId = requestIdFor(req.headers['x-request-id']);
  const respond = (answer: Answer, app: AuthenticatedApp | undefined) => {
    const headers = [...JSON_HEADERS, 'X-Request-Id', requestId, 'Content-Length', String(Buffer.byteLength(answer.body))];
    if (answer.retryAfterSeconds !== undefined) headers.push('Retry-After', String(answer.retryAfterSeconds));
    res.writeHead(answer.status, headers).end(answer.body);
    logRequest(deps.log, { requestId, method: req.method, path: pathOf(req.url ?? ''), status: answer.status, ms: elapsedMs(started), appId: app?.appId });
  };
  const app = cachedApp(options.keyCache, req.headers.authorization);
  const decision = app ? options.limiter.hitLocally(app.appId, app.rateLimitPerMinute) : undefined;
  if (app && decision) {
    let id: string;
    try {
      throwIfRefused(app, decision);
      id = decodeId(rawId);
    } catch (error) {
      return respond(errorAnswer(deps, error, requestId), app);
    }
    // The cache holds only ids that passed ExternalUserId, so a hit needs no parsing; a miss is parsed
    // (and refused when invalid) by readEligibility below.
    const body = options.cache.get(EligibilityCache.key(app.appId, id));
    if (body !== undefined) return respond({ status: 200, body }, app);
    void readEligibility(deps, options.cache, app, id).then(
      (loaded) => respond({ status: 200, body: loaded }, app),
      (error: unknown) => respond(errorAnswer(deps, error, requestId), app),
    );
    return;
  }
  void handleAsync(deps, options, req, rawId, requestId).then(({ answer, app: resolved }) => respond(answer, resolved));
}

async function handleAsync(
  deps: ApiDeps,
  options: FastEligibilityOptions,
  req: IncomingMessage,
  rawId: string,
  requestId: string,
): Promise<{ answer: Answer; app?: AuthenticatedApp }> {
  let app: AuthenticatedApp | undefined;
  try {
    app = await resolveApp(deps, options.keyCache, options.limiter, req.headers.authorization, clientIp(req, options.trustProxy));
    await enforceRateLimit(options.limiter, app, deps.log);
    return { answer: { status: 200, body: await readEligibility(deps, options.cache, app, decodeId(rawId)) }, app };
  } catch (error) {
    return { answer: errorAnswer(deps, error, requestId), ...(app ? { app } : {}) };
  }
}
