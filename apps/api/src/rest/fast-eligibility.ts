import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, ExternalUserId, getEligibilityEntry, parseInput, toAppError, toErrorBody, type AuthenticatedApp } from '@aquoris/core';
import type { ApiDeps } from '../context.ts';
import { elapsedMs, logRequest, requestIdFor, SECURITY_HEADERS } from '../http/request-context.ts';
import { resolveApp, type ApiKeyCache } from './api-key-auth.ts';
import { EligibilityCache } from './eligibility-cache.ts';
import { enforceRateLimit, type RedisRateLimiter } from './rate-limit.ts';

const ROUTE = /^\/api\/v1\/customers\/([^/?#]+)\/subscription\/?(?:\?.*)?$/;

export interface FastEligibilityOptions {
  keyCache: ApiKeyCache;
  limiter: RedisRateLimiter;
  cache: EligibilityCache;
  trustProxy: boolean;
}

/** Eligibility for one user, through the cache: shared by the fast path and the Express route. */
export function readEligibility(deps: ApiDeps, cache: EligibilityCache, app: AuthenticatedApp, rawId: string): Promise<string> {
  const externalUserId = parseInput(ExternalUserId, rawId);
  return cache.read(EligibilityCache.key(app.appId, externalUserId), () => getEligibilityEntry(deps, app, externalUserId));
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return first || req.socket.remoteAddress || 'unknown';
}

function decodeId(raw: string): string {
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
    void handle(deps, options, req, res, match[1]!);
    return true;
  };
}

async function handle(deps: ApiDeps, options: FastEligibilityOptions, req: IncomingMessage, res: ServerResponse, rawId: string): Promise<void> {
  const started = process.hrtime.bigint();
  const requestId = requestIdFor(req.headers['x-request-id']);
  let app: AuthenticatedApp | undefined;
  let status = 200;
  let body: string;
  const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': requestId };
  try {
    app = await resolveApp(deps, options.keyCache, options.limiter, req.headers.authorization, clientIp(req, options.trustProxy));
    await enforceRateLimit(options.limiter, app, deps.log);
    body = await readEligibility(deps, options.cache, app, decodeId(rawId));
  } catch (error) {
    const appError = toAppError(error);
    status = appError.status;
    if (!appError.isClientError) deps.log.error({ err: error, requestId }, 'request failed');
    const retryAfter = appError.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
    body = JSON.stringify(toErrorBody(appError));
  }
  headers['Content-Length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers).end(body);
  logRequest(deps.log, { requestId, method: req.method, path: req.url?.split('?')[0] ?? '', status, ms: elapsedMs(started), appId: app?.appId });
}
