import { AppError, type AuthenticatedApp } from '@aquoris/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CircuitBreaker } from './circuit-breaker.ts';
import { MemoryRateLimiter } from './memory-rate-limit.ts';

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

export interface RateLimiterOptions {
  log?: Logger;
  /** API instances sharing the limit: while Redis is away each allows ceil(limit / instances) on its own. */
  instances?: number;
  /** Consecutive Redis failures that switch to the in-memory limit. */
  failureThreshold?: number;
  /** While Redis is away, how often it is probed (and how long a failed lease refill is remembered). */
  probeIntervalMs?: number;
}

/**
 * A fixed one-minute window per app, counted in Redis so that every API
 * instance shares one limit (high limits through leases, see `leaseSize`).
 *
 * Redis is behind a circuit breaker: give this limiter a client that fails
 * fast (no offline queue, a short command timeout: `createHotPathRedis`).
 * After the first failures the circuit opens and every decision is made in
 * memory, per instance (MemoryRateLimiter), synchronously on the fast path,
 * so a Redis outage costs no request a wait; a background PING closes the
 * circuit when Redis answers again. A lease refill that failed is remembered
 * for a probe interval, so the requests behind it do not each wait again.
 */
export class RedisRateLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly refills = new Map<string, Promise<void>>();
  /** Subjects whose last lease refill failed, until when Redis is not asked for them again. */
  private readonly failedRefills = new Map<string, number>();
  private readonly memory: MemoryRateLimiter;
  private readonly breaker: CircuitBreaker;
  private readonly retryMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: RateLimiterOptions = {},
  ) {
    if (!('aqbRateLimit' in redis)) redis.defineCommand('aqbRateLimit', { numberOfKeys: 1, lua: SCRIPT });
    this.memory = new MemoryRateLimiter(options.instances);
    this.retryMs = options.probeIntervalMs ?? 1_000;
    this.breaker = new CircuitBreaker({
      name: 'Redis (rate limit)',
      failureThreshold: options.failureThreshold ?? 2,
      probeIntervalMs: this.retryMs,
      probe: () => redis.ping(),
      onClose: () => {
        this.memory.clear();
        this.failedRefills.clear();
      },
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** Stops the background probe. */
  stop(): void {
    this.breaker.stop();
  }

  private key(subject: string, now: number): { key: string; window: number; msLeft: number } {
    const window = Math.floor(now / WINDOW_MS);
    return { key: `${this.prefix}:rl:${subject}:${window}`, window, msLeft: WINDOW_MS - (now % WINDOW_MS) };
  }

  /** One call to Redis through the breaker: its failures open the circuit (the caller falls back). */
  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.breaker.recordSuccess();
      return result;
    } catch (error) {
      this.breaker.recordFailure(error);
      throw error;
    }
  }

  private take(key: string, n: number, ttlMs: number): Promise<number> {
    const command = (this.redis as unknown as Record<string, (key: string, ttl: number, n: number) => Promise<number>>).aqbRateLimit!;
    return this.guarded(() => command.call(this.redis, key, ttlMs, n));
  }

  /** The in-memory decision, while Redis is away (or for a subject whose refill just failed). */
  private fromMemory(subject: string, limit: number, now: number): RateLimitDecision {
    const { allowed, count } = this.memory.hit(subject, limit, Math.floor(now / WINDOW_MS));
    return { allowed, count, retryAfterSeconds: retryAfterOf(now) };
  }

  private redisAway(subject: string, now: number): boolean {
    if (this.breaker.isOpen) return true;
    const until = this.failedRefills.get(subject);
    if (until === undefined) return false;
    if (until > now) return true;
    this.failedRefills.delete(subject);
    return false;
  }

  /** Counts one request for `subject` (an app id, or another namespaced key) in the current window. Never throws. */
  async hit(subject: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    if (this.redisAway(subject, now)) return this.fromMemory(subject, limit, now);
    const { key, window, msLeft } = this.key(subject, now);
    const retryAfterSeconds = retryAfterOf(now);
    const block = leaseSize(limit);
    try {
      if (block === 1) {
        const count = await this.take(key, 1, msLeft + 5_000);
        return { allowed: count <= limit, count, retryAfterSeconds };
      }
      for (;;) {
        const decided = this.fromLease(subject, window, retryAfterSeconds);
        if (decided) return decided;
        await this.refill(subject, key, window, limit, block, msLeft + 5_000);
      }
    } catch {
      this.failedRefills.set(subject, now + this.retryMs);
      return this.fromMemory(subject, limit, now);
    }
  }

  /**
   * The decision when this instance's lease can make it without Redis (a token
   * left, or the window known to be used up); undefined when Redis must be asked.
   * Counts the request when it answers. Lets the hot path decide synchronously,
   * from memory alone while Redis is away.
   */
  hitLocally(subject: string, limit: number, now = Date.now()): RateLimitDecision | undefined {
    if (this.redisAway(subject, now)) return this.fromMemory(subject, limit, now);
    if (leaseSize(limit) === 1) return undefined;
    return this.fromLease(subject, Math.floor(now / WINDOW_MS), retryAfterOf(now));
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

  /** The window's decision if `subject` has already used up `limit`, without counting; null when under it. Never throws. */
  async peek(subject: string, limit: number, now = Date.now()): Promise<RateLimitDecision | null> {
    const refused = (count: number) => ({ allowed: false, count, retryAfterSeconds: retryAfterOf(now) });
    const inMemory = () => {
      const count = this.memory.exhausted(subject, limit, Math.floor(now / WINDOW_MS));
      return count === null ? null : refused(count);
    };
    if (this.breaker.isOpen) return inMemory();
    try {
      const count = Number((await this.guarded(() => this.redis.get(this.key(subject, now).key))) ?? 0);
      return count >= limit ? refused(count) : null;
    } catch {
      return inMemory();
    }
  }
}

function retryAfterOf(now: number): number {
  return Math.max(1, Math.ceil((WINDOW_MS - (now % WINDOW_MS)) / 1000));
}

/** Enforces the app's per-minute limit (in Redis, or in memory while Redis is away: see RedisRateLimiter). */
export async function enforceRateLimit(limiter: RedisRateLimiter, app: AuthenticatedApp): Promise<void> {
  throwIfRefused(app, await limiter.hit(app.appId, app.rateLimitPerMinute));
}

/** The 429 for a refused decision (shared by the asynchronous and the synchronous path). */
export function throwIfRefused(app: AuthenticatedApp, decision: RateLimitDecision): void {
  if (decision.allowed) return;
  throw new AppError('RATE_LIMITED', `Rate limit of ${app.rateLimitPerMinute} requests per minute exceeded; retry after ${decision.retryAfterSeconds} s`, {
    details: { retryAfterSeconds: decision.retryAfterSeconds },
  });
}
