import { AppError, authenticateApiKey, hashApiKey, isAppError, type AuthenticatedApp, type Deps } from '@aquoris/core';
import type { RequestHandler } from 'express';
import type { RedisRateLimiter } from './rate-limit.ts';

/** Failed authentications allowed per client IP per minute before it is refused without a database lookup. */
export const AUTH_FAILURES_PER_MINUTE = 60;

/**
 * Resolved API keys, kept briefly in memory so the hot eligibility path does
 * not pay a database round trip for authentication on every request. Entries
 * are dropped at once when any process announces a change to the app's
 * credentials (see ../events.ts), and expire after `ttlMs` regardless.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { app: AuthenticatedApp; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(hash: string, now: number): AuthenticatedApp | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.app;
  }

  set(hash: string, app: AuthenticatedApp, now: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(hash, { app, expiresAt: now + this.ttlMs });
  }

  invalidateApp(appId: string): void {
    for (const [hash, entry] of this.entries) if (entry.app.appId === appId) this.entries.delete(hash);
  }

  clear(): void {
    this.entries.clear();
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Resolves the bearer key to its app: from memory when cached, else from the
 * database. Unknown keys are never cached, so a client spraying keys would
 * reach the database on every request: after too many failures from one
 * address it is refused before anything is looked up.
 */
export async function resolveApp(
  deps: Pick<Deps, 'db'>,
  cache: ApiKeyCache,
  limiter: RedisRateLimiter,
  authorization: string | undefined,
  clientIp: string,
): Promise<AuthenticatedApp> {
  const key = bearerToken(authorization);
  const now = Date.now();
  const hash = key ? hashApiKey(key) : '';
  const cached = key ? cache.get(hash, now) : undefined;
  if (cached) return cached;
  const client = `auth-fail:${clientIp}`;
  const blocked = await limiter.peek(client, AUTH_FAILURES_PER_MINUTE).catch(() => null);
  if (blocked) {
    throw new AppError('RATE_LIMITED', 'Too many requests with invalid API keys; retry later', {
      details: { retryAfterSeconds: blocked.retryAfterSeconds },
    });
  }
  try {
    const app = await authenticateApiKey(deps, key);
    cache.set(hash, app, now);
    return app;
  } catch (error) {
    if (isAppError(error) && error.code === 'UNAUTHORIZED') await limiter.hit(client, AUTH_FAILURES_PER_MINUTE).catch(() => null);
    throw error;
  }
}

export function apiKeyAuth(deps: Pick<Deps, 'db'>, cache: ApiKeyCache, limiter: RedisRateLimiter): RequestHandler {
  return async (req, _res, next) => {
    req.ctx.app = await resolveApp(deps, cache, limiter, req.get('authorization'), req.ip ?? 'unknown');
    next();
  };
}
