import { AppError, type AuthenticatedApp } from '@aquoris/core';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

const WINDOW_MS = 60_000;

// INCR the window's counter and, when it is new, let it expire shortly after the window ends.
const SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`;

export interface RateLimitDecision {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/**
 * A fixed one-minute window per app, counted in Redis so that every API
 * instance shares one limit.
 */
export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('aqbRateLimit' in redis)) redis.defineCommand('aqbRateLimit', { numberOfKeys: 1, lua: SCRIPT });
  }

  private key(subject: string, now: number): { key: string; msLeft: number } {
    return { key: `${this.prefix}:rl:${subject}:${Math.floor(now / WINDOW_MS)}`, msLeft: WINDOW_MS - (now % WINDOW_MS) };
  }

  /** Counts one request for `subject` (an app id, or another namespaced key) in the current window. */
  async hit(subject: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    const { key, msLeft } = this.key(subject, now);
    const command = (this.redis as unknown as Record<string, (key: string, ttl: number) => Promise<number>>).aqbRateLimit!;
    const count = await command.call(this.redis, key, msLeft + 5_000);
    return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
  }

  /** The window's decision if `subject` has already used up `limit`, without counting; null when under it. */
  async peek(subject: string, limit: number, now = Date.now()): Promise<RateLimitDecision | null> {
    const { key, msLeft } = this.key(subject, now);
    const count = Number((await this.redis.get(key)) ?? 0);
    return count >= limit ? { allowed: false, count, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) } : null;
  }
}

/**
 * Enforces the app's per-minute limit. If Redis is unreachable the request is
 * let through (and logged): an outage of the limiter must not take the
 * billing API down with it.
 */
export async function enforceRateLimit(limiter: RedisRateLimiter, app: AuthenticatedApp, log: Logger): Promise<void> {
  let decision: RateLimitDecision;
  try {
    decision = await limiter.hit(app.appId, app.rateLimitPerMinute);
  } catch (error) {
    log.warn({ err: error, appId: app.appId }, 'rate limiter unavailable; request allowed');
    return;
  }
  if (!decision.allowed) {
    throw new AppError('RATE_LIMITED', `Rate limit of ${app.rateLimitPerMinute} requests per minute exceeded; retry after ${decision.retryAfterSeconds} s`, {
      details: { retryAfterSeconds: decision.retryAfterSeconds },
    });
  }
}

export function rateLimit(limiter: RedisRateLimiter, log: Logger): RequestHandler {
  return async (req, _res, next) => {
    if (req.ctx.app) await enforceRateLimit(limiter, req.ctx.app, log);
    next();
  };
}
