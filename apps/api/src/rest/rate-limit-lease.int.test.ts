import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseSize, RedisRateLimiter } from './rate-limit.ts';

let redis: Redis;
let other: Redis;
const prefix = `aqbtlease${randomBytes(4).toString('hex')}`;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 10); // 10 s into a window
const counter = (subject: string) => redis.get(`${prefix}:rl:${subject}:${Math.floor(NOW / 60_000)}`).then(Number);

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  other = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await Promise.all([redis.quit(), other.quit()]);
});

async function hits(limiter: RedisRateLimiter, subject: string, limit: number, n: number): Promise<number> {
  const decisions = await Promise.all(Array.from({ length: n }, () => limiter.hit(subject, limit, NOW)));
  return decisions.filter((d) => d.allowed).length;
}

describe('lease size', () => {
  it('counts ordinary limits exactly and leases 1% of high ones, at most 1,000', () => {
    expect([1, 5, 100, 199].map(leaseSize)).toEqual([1, 1, 1, 1]);
    expect([200, 1_000, 60_000, 1_000_000].map(leaseSize)).toEqual([2, 10, 600, 1_000]);
  });
});

describe('leased counting', () => {
  it('takes a block per Redis call and never lets more than the limit through', async () => {
    const limiter = new RedisRateLimiter(redis, prefix);
    expect(await hits(limiter, 'solo', 1_000, 1)).toBe(1);
    expect(await counter('solo')).toBe(10); // one call took ten
    expect(await hits(limiter, 'solo', 1_000, 1_100)).toBe(999);
    expect(await counter('solo')).toBeGreaterThanOrEqual(1_000);
    const refused = await limiter.hit('solo', 1_000, NOW);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 50 });
  });

  it('is still one limit across instances: together they let through at most the limit, short of it by less than a block each', async () => {
    const a = new RedisRateLimiter(redis, prefix);
    const b = new RedisRateLimiter(other, prefix);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => hits(i % 2 ? a : b, 'shared', 1_000, 30)));
    const allowed = results.reduce((sum, n) => sum + n, 0);
    expect(allowed).toBeLessThanOrEqual(1_000);
    expect(allowed).toBeGreaterThan(1_000 - 2 * leaseSize(1_000));
  });

  it('starts afresh in the next window', async () => {
    const limiter = new RedisRateLimiter(redis, prefix);
    expect(await hits(limiter, 'rollover', 500, 600)).toBe(500);
    const next = await limiter.hit('rollover', 500, NOW + 60_000);
    expect(next.allowed).toBe(true);
  });

  it('keeps limits under 200 exact: one count per request', async () => {
    const limiter = new RedisRateLimiter(redis, prefix);
    expect(await hits(limiter, 'exact', 100, 105)).toBe(100);
    expect(await counter('exact')).toBe(105);
  });
});
