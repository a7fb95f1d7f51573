import { hashApiKey, isAppError, type Deps } from '@aquoris/core';
import { describe, expect, it, vi } from 'vitest';
import { ApiKeyCache, resolveApp } from './api-key-auth.ts';
import type { RedisRateLimiter } from './rate-limit.ts';

interface Row {
  id: string;
  slug: string;
  apiKeyHash: string;
  rateLimitPerMinute: number;
}

/** The two queries authentication makes, over an in-memory table; `hold` parks lookups until released. */
function fakeDb(rows: Row[]) {
  let held: Array<() => void> | undefined;
  const table = new Map(rows.map((row) => [row.apiKeyHash, row]));
  const app = {
    findUnique: vi.fn(async ({ where }: { where: { apiKeyHash: string } }) => {
      const row = table.get(where.apiKeyHash) ?? null; // read now: what the lookup saw before a change commits
      if (held) await new Promise<void>((resolve) => held!.push(resolve));
      return row;
    }),
    findMany: vi.fn(async () => [...table.values()].map((row) => ({ apiKeyHash: row.apiKeyHash }))),
  };
  return {
    db: { app } as unknown as Deps['db'],
    app,
    table,
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const resolve of waiting) resolve();
    },
  };
}

/** The failed-authentication counter: `blocked` says whether the client is over the limit. */
function fakeLimiter(blocked: boolean) {
  return {
    peek: vi.fn(async () => (blocked ? { allowed: false, count: 60, retryAfterSeconds: 30 } : null)),
    hit: vi.fn(async () => ({ allowed: true, count: 1, retryAfterSeconds: 30 })),
  } as unknown as RedisRateLimiter & { peek: ReturnType<typeof vi.fn>; hit: ReturnType<typeof vi.fn> };
}

const row = (key: string, id = 'app_1'): Row => ({ id, slug: id, apiKeyHash: hashApiKey(key), rateLimitPerMinute: 100 });
const bearer = (key: string) => `Bearer ${key}`;
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ApiKeyCache generation guard', () => {
  it('caches a resolved key', async () => {
    const { db, app } = fakeDb([row('aqb_old')]);
    const cache = new ApiKeyCache(30_000);
    await resolveApp({ db }, cache, fakeLimiter(false), bearer('aqb_old'), '10.0.0.1');
    await resolveApp({ db }, cache, fakeLimiter(false), bearer('aqb_old'), '10.0.0.1');
    expect(app.findUnique).toHaveBeenCalledTimes(1);
  });

  it('does not cache what a lookup read while the app’s credentials changed (a rotation committing mid-lookup)', async () => {
    const fake = fakeDb([row('aqb_old')]);
    const cache = new ApiKeyCache(30_000);
    fake.hold();
    const inFlight = resolveApp({ db: fake.db }, cache, fakeLimiter(false), bearer('aqb_old'), '10.0.0.1');
    await flush();
    // The rotation commits and its event evicts the app, while the lookup still holds the old row.
    fake.table.clear();
    fake.table.set(hashApiKey('aqb_new'), row('aqb_new'));
    cache.invalidateApp('app_1');
    fake.release();
    expect((await inFlight).appId).toBe('app_1'); // it started before the rotation: this one request may pass
    expect(cache.get(hashApiKey('aqb_old'), Date.now())).toBeUndefined();
    const next = await resolveApp({ db: fake.db }, cache, fakeLimiter(false), bearer('aqb_old'), '10.0.0.1').catch((e: unknown) => e);
    expect(isAppError(next) && next.code).toBe('UNAUTHORIZED');
  });

  it('an invalidation of another app, or before the lookup started, does not stop caching', async () => {
    const fake = fakeDb([row('aqb_a', 'app_a')]);
    const cache = new ApiKeyCache(30_000);
    cache.invalidateApp('app_a');
    fake.hold();
    const inFlight = resolveApp({ db: fake.db }, cache, fakeLimiter(false), bearer('aqb_a'), '10.0.0.1');
    await flush();
    cache.invalidateApp('app_b');
    fake.release();
    await inFlight;
    expect(cache.get(hashApiKey('aqb_a'), Date.now())?.appId).toBe('app_a');
  });

  it('clear() during a lookup also stops it from caching', async () => {
    const fake = fakeDb([row('aqb_a')]);
    const cache = new ApiKeyCache(30_000);
    fake.hold();
    const inFlight = resolveApp({ db: fake.db }, cache, fakeLimiter(false), bearer('aqb_a'), '10.0.0.1');
    await flush();
    cache.clear();
    fake.release();
    await inFlight;
    expect(cache.get(hashApiKey('aqb_a'), Date.now())).toBeUndefined();
  });
});

describe('a client blocked for invalid keys', () => {
  it('is refused for unknown keys without a per-key database lookup, but a valid uncached key is answered', async () => {
    const fake = fakeDb([row('aqb_valid', 'app_1'), row('aqb_other', 'app_2')]);
    const cache = new ApiKeyCache(30_000);
    const limiter = fakeLimiter(true);
    for (let i = 0; i < 50; i++) {
      const error = await resolveApp({ db: fake.db }, cache, limiter, bearer(`aqb_spray_${i}`), '10.0.0.1').catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('RATE_LIMITED');
    }
    expect(fake.app.findUnique).not.toHaveBeenCalled();
    expect(fake.app.findMany).toHaveBeenCalledTimes(1); // one read of the valid hashes for the whole spray
    expect((await resolveApp({ db: fake.db }, cache, limiter, bearer('aqb_valid'), '10.0.0.1')).appId).toBe('app_1');
    expect((await resolveApp({ db: fake.db }, cache, limiter, bearer('aqb_other'), '10.0.0.1')).appId).toBe('app_2');
    const missing = await resolveApp({ db: fake.db }, cache, limiter, undefined, '10.0.0.1').catch((e: unknown) => e);
    expect(isAppError(missing) && missing.code).toBe('RATE_LIMITED');
  });

  it('re-reads the valid hashes after a credential change event, and when they are older than the max age', async () => {
    const fake = fakeDb([row('aqb_old', 'app_1')]);
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const cache = new ApiKeyCache(30_000, 10_000, 10_000);
      const limiter = fakeLimiter(true);
      await resolveApp({ db: fake.db }, cache, limiter, bearer('aqb_old'), '10.0.0.1');
      // Rotated: the event makes the next blocked request read the hashes again.
      fake.table.clear();
      fake.table.set(hashApiKey('aqb_new'), row('aqb_new', 'app_1'));
      cache.invalidateApp('app_1');
      expect((await resolveApp({ db: fake.db }, cache, limiter, bearer('aqb_new'), '10.0.0.1')).appId).toBe('app_1');
      expect(fake.app.findMany).toHaveBeenCalledTimes(2);
      // A new app announces nothing: found once the list is older than the max age.
      fake.table.set(hashApiKey('aqb_created'), row('aqb_created', 'app_3'));
      const early = await resolveApp({ db: fake.db }, cache, limiter, bearer('aqb_created'), '10.0.0.1').catch((e: unknown) => e);
      expect(isAppError(early) && early.code).toBe('RATE_LIMITED');
      now += 10_001;
      expect((await resolveApp({ db: fake.db }, cache, limiter, bearer('aqb_created'), '10.0.0.1')).appId).toBe('app_3');
      expect(fake.app.findMany).toHaveBeenCalledTimes(3);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('refuses everything uncached if the valid hashes cannot be read', async () => {
    const fake = fakeDb([row('aqb_valid')]);
    fake.app.findMany.mockRejectedValueOnce(new Error('database down'));
    const error = await resolveApp({ db: fake.db }, new ApiKeyCache(30_000), fakeLimiter(true), bearer('aqb_valid'), '10.0.0.1').catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('RATE_LIMITED');
  });
});
