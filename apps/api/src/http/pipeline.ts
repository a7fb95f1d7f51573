import type { IncomingHttpHeaders } from 'node:http';
import type { AuthenticatedApp } from '@aquoris/core';
import type { RequestHandler } from 'express';
import type { ApiDeps } from '../context.ts';
import { cachedApp, resolveApp, type ApiKeyCache } from '../rest/api-key-auth.ts';
import { enforceRateLimit, throwIfRefused, type RedisRateLimiter } from '../rest/rate-limit.ts';

/**
 * The request pipeline's steps that every route shares, Express routes and the
 * eligibility fast path alike: who the client is, and whether the app may
 * make this request. The error envelope is errors.ts's errorReply; the
 * response headers and the log line are request-context.ts's.
 */
export interface AuthOptions {
  keyCache: ApiKeyCache;
  limiter: RedisRateLimiter;
  trustProxy: boolean;
}

/** The client's address: the first X-Forwarded-For entry behind a trusted proxy, else the socket's. */
export function clientIp(headers: IncomingHttpHeaders, remoteAddress: string | undefined, trustProxy: boolean): string {
  const forwarded = trustProxy ? headers['x-forwarded-for'] : undefined;
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return first || remoteAddress || 'unknown';
}

/**
 * The app of the request's key with this request counted against its limit,
 * when both can be decided from memory (a cached key and a rate-limit lease:
 * the steady state of a busy app); undefined when the database or Redis must
 * be asked (then call `authorizeApp`). Throws RATE_LIMITED when refused.
 */
export function authorizeAppLocally(options: AuthOptions, authorization: string | undefined): AuthenticatedApp | undefined {
  const app = cachedApp(options.keyCache, authorization);
  const decision = app ? options.limiter.hitLocally(app.appId, app.rateLimitPerMinute) : undefined;
  if (!app || !decision) return undefined;
  throwIfRefused(app, decision);
  return app;
}

/** API-key auth, then the per-app rate limit: UNAUTHORIZED or RATE_LIMITED when refused. */
export async function authorizeApp(
  deps: ApiDeps,
  options: AuthOptions,
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
): Promise<AuthenticatedApp> {
  const local = authorizeAppLocally(options, headers.authorization);
  if (local) return local;
  const app = await resolveApp(deps, options.keyCache, options.limiter, headers.authorization, clientIp(headers, remoteAddress, options.trustProxy));
  await enforceRateLimit(options.limiter, app);
  return app;
}

/** Express middleware: the authorised app on req.ctx.app. */
export function requireApp(deps: ApiDeps, options: AuthOptions): RequestHandler {
  return async (req, _res, next) => {
    req.ctx.app = await authorizeApp(deps, options, req.headers, req.socket.remoteAddress);
    next();
  };
}
