import { AppError, type AuthenticatedApp } from '@aquoris/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

const WINDOW_MS = 60_000;

// Add N to the window's counter and, when it is new, let it expire shortly after the window ends.
const SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`;

/** Limits below this are counted one request per Redis call, exactly. */
const LEASE_FROM_LIMIT = 200;
/** Largest block of requests one instance takes from Redis at a time. */
const MAX_LEASE = 1_000;

/**
 * How many requests an instance takes from the shared counter at once: one
 * for ordinary limits (exact counting), and for high limits a block of 1% of
 * the limit (at most 1,000), so a busy instance calls Redis once per block
 * instead of once per request. Leases never let more than the limit through
 * across all instances; an instance may strand part of its last block, so a
 * window can end up to 1% of the limit per instance early.
 */
export function leaseSize(limit: number): number {
  return limit < LEASE_FROM_LIMIT ? 1 : Math.min(MAX_LEASE, Math.floor(limit / 100));
}

export interface RateLimitDecision {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

interface Lease {
  window: number;
  remaining: number;
  /** The shared counter had reached the limit when this lease was taken: nothing more to take this window. */
  exhausted: boolean;
  count: number;
}

/**
 * A fixed one-minute window per app, counted in Redis so that every API
 * instance shares one limit (high limits through leases, see `leaseSize`).
 */
export class RedisRateLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly refills = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('aqbRateLimit' in redis)) redis.defineCommand('aqbRateLimit', { numberOfKeys: 1, lua: SCRIPT });
  }

  private key(subject: string, now: number): { key: string; window: number; msLeft: number } {
    const window = Math.floor(now / WINDOW_MS);
    return { key: `${this.prefix}:rl:${subject}:${window}`, window, msLeft: WINDOW_MS - (now % WINDOW_MS) };
  }

  private async take(key: string, n: number, ttlMs: number): Promise<number> {
    const command = (this.redis as unknown as Record<string, (key: string, ttl: number, n: number) => Promise<number>>).aqbRateLimit!;
    return command.call(this.redis, key, ttlMs, n);
  }

  /** Counts one request for `subject` (an app id, or another namespaced key) in the current window. */
  async hit(subject: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    const { key, window, msLeft } = this.key(subject, now);
    const retryAfterSeconds = Math.max(1, Math.ceil(msLeft / 1000));
    const block = leaseSize(limit);
    if (block === 1) {
      const count = await this.take(key, 1, msLeft + 5_000);
      return { allowed: count <= limit, count, retryAfterSeconds };
    }
    for (;;) {
      const decided = this.fromLease(subject, window, retryAfterSeconds);
      if (decided) return decided;
      await this.refill(subject, key, window, limit, block, msLeft + 5_000);
    }
  }

  /**
   * The decision when this instance's lease can make it without Redis (a token
   * left, or the window known to be used up); undefined when Redis must be asked.
   * Counts the request when it answers. Lets the hot path decide synchronously.
   */
  hitLocally(subject: string, limit: number, now = Date.now()): RateLimitDecision | undefined {
    if (leaseSize(limit) === 1) return undefined;
    const window = Math.floor(now / WINDOW_MS);
    return this.fromLease(subject, window, Math.max(1, Math.ceil((WINDOW_MS - (now % WINDOW_MS)) / 1000)));
  }

  private fromLease(subject: string, window: number, retryAfterSeconds: number): RateLimitDecision | undefined {
    const lease = this.leases.get(subject);
    if (lease?.window !== window) return undefined;
    if (lease.remaining > 0) {
      lease.remaining--;
      return { allowed: true, count: lease.count, retryAfterSeconds };
    }
    return lease.exhausted ? { allowed: false, count: lease.count, retryAfterSeconds } : undefined;
  }

  /** Takes a block for `subject` from Redis; concurrent requests wait for the same refill. */
  private refill(subject: string, key: string, window: number, limit: number, block: number, ttlMs: number): Promise<void> {
    let pending = this.refills.get(subject);
    if (!pending) {
      pending = this.take(key, block, ttlMs)
        .then((count) => {
          const granted = Math.max(0, Math.min(block, limit - (count - block)));
          this.leases.set(subject, { window, remaining: granted, exhausted: count >= limit, count });
        })
        .finally(() => this.refills.delete(subject));
      this.refills.set(subject, pending);
    }
    return pending;
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
  throwIfRefused(app, decision);
}

/** The 429 for a refused decision (shared by the asynchronous and the synchronous path). */
export function throwIfRefused(app: AuthenticatedApp, decision: RateLimitDecision): void {
  if (decision.allowed) return;
  throw new AppError('RATE_LIMITED', `Rate limit of ${app.rateLimitPerMinute} requests per minute exceeded; retry after ${decision.retryAfterSeconds} s`, {
    details: { retryAfterSeconds: decision.retryAfterSeconds },
  });
}
