import { randomBytes } from 'node:crypto';
import { hashApiKey, isAppError, rotateApiKey } from '@aquoris/core';
import { createDatabase } from '@aquoris/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_ACTOR, type TestApi } from '../testing/index.ts';
import { waitFor } from '../testing/wait.ts';
import { AUTH_FAILURES_PER_MINUTE, ApiKeyCache, resolveApp } from './api-key-auth.ts';
import { RedisRateLimiter } from './rate-limit.ts';

// The API-key cache against the real PostgreSQL and Redis. A lookup is held in flight by locking the
// apps table from another connection (PostgreSQL makes the lookup's SELECT wait for the lock), so what
// happens while it waits is exact, not timing.

let api: TestApi;
let limiter: RedisRateLimiter;
let ip = 0;
/** A client address of its own for each call site, so failure counts never leak between tests. */
const nextIp = () => `10.9.0.${++ip}`;
const deps = () => ({ db: api.server.deps.db });
const bearer = (key: string) => `Bearer ${key}`;

beforeAll(async () => {
  api = await startTestApi();
  limiter = new RedisRateLimiter(api.server.deps.redis, `${api.env.REDIS_KEY_PREFIX}:authtest${randomBytes(3).toString('hex')}`);
});
afterAll(() => api?.close());

/** Locks the apps table until the returned function is called; resolves once `waiters` statements wait on it. */
async function lockApps(): Promise<{ untilWaiting(waiters?: number): Promise<void>; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: api.databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE apps IN ACCESS EXCLUSIVE MODE');
  return {
    async untilWaiting(waiters = 1) {
      await waitFor(
        async () => {
          const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'apps'::regclass AND NOT granted`);
          return rows[0]!.n >= waiters;
        },
        { what: 'the lookup to wait on the apps table' },
      );
    },
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Blocks `client` the way a spray of invalid keys does: AUTH_FAILURES_PER_MINUTE failures counted. */
async function block(client: string): Promise<void> {
  for (let i = 0; i < AUTH_FAILURES_PER_MINUTE; i++) await limiter.hit(`auth-fail:${client}`, AUTH_FAILURES_PER_MINUTE);
}

describe('ApiKeyCache generation guard', () => {
  it('caches a resolved key', async () => {
    const app = await api.createApp();
    const cache = new ApiKeyCache(30_000);
    expect((await resolveApp(deps(), cache, limiter, bearer(app.apiKey), nextIp())).appId).toBe(app.id);
    expect(cache.get(hashApiKey(app.apiKey), Date.now())?.appId).toBe(app.id);
  });

  it('does not cache what a lookup read while the app’s credentials changed (an event arriving mid-lookup)', async () => {
    const app = await api.createApp();
    const cache = new ApiKeyCache(30_000);
    const lock = await lockApps();
    const inFlight = resolveApp(deps(), cache, limiter, bearer(app.apiKey), nextIp());
    await lock.untilWaiting();
    cache.invalidateApp(app.id); // the change's event, while the lookup still waits for its row
    await lock.release();
    expect((await inFlight).appId).toBe(app.id); // it started before the change: this one request may pass
    expect(cache.get(hashApiKey(app.apiKey), Date.now())).toBeUndefined();
    // A real rotation: the old key is refused from then on.
    await rotateApiKey(api.server.deps, TEST_ACTOR, app.slug);
    const next = await resolveApp(deps(), cache, limiter, bearer(app.apiKey), nextIp()).catch((e: unknown) => e);
    expect(isAppError(next) && next.code).toBe('UNAUTHORIZED');
  });

  it('an invalidation of another app, or before the lookup started, does not stop caching', async () => {
    const app = await api.createApp();
    const other = await api.createApp();
    const cache = new ApiKeyCache(30_000);
    cache.invalidateApp(app.id);
    const lock = await lockApps();
    const inFlight = resolveApp(deps(), cache, limiter, bearer(app.apiKey), nextIp());
    await lock.untilWaiting();
    cache.invalidateApp(other.id);
    await lock.release();
    await inFlight;
    expect(cache.get(hashApiKey(app.apiKey), Date.now())?.appId).toBe(app.id);
  });

  it('clear() during a lookup also stops it from caching', async () => {
    const app = await api.createApp();
    const cache = new ApiKeyCache(30_000);
    const lock = await lockApps();
    const inFlight = resolveApp(deps(), cache, limiter, bearer(app.apiKey), nextIp());
    await lock.untilWaiting();
    cache.clear();
    await lock.release();
    await inFlight;
    expect(cache.get(hashApiKey(app.apiKey), Date.now())).toBeUndefined();
  });
});

describe('a client blocked for invalid keys', () => {
  it('is refused for unknown keys without a per-key database lookup, but valid uncached keys are answered', async () => {
    const valid = await api.createApp();
    const other = await api.createApp();
    const client = nextIp();
    await block(client);
    const cache = new ApiKeyCache(30_000);
    const first = await resolveApp(deps(), cache, limiter, bearer('aqb_spray_first'), client).catch((e: unknown) => e);
    expect(isAppError(first) && first.code).toBe('RATE_LIMITED'); // this one read the list of valid hashes
    // With the apps table locked, any query would wait: the spray must be answered without one.
    const lock = await lockApps();
    try {
      for (let i = 0; i < 50; i++) {
        const error = await resolveApp(deps(), cache, limiter, bearer(`aqb_spray_${i}`), client).catch((e: unknown) => e);
        expect(isAppError(error) && error.code).toBe('RATE_LIMITED');
      }
      const missing = await resolveApp(deps(), cache, limiter, undefined, client).catch((e: unknown) => e);
      expect(isAppError(missing) && missing.code).toBe('RATE_LIMITED');
    } finally {
      await lock.release();
    }
    expect((await resolveApp(deps(), cache, limiter, bearer(valid.apiKey), client)).appId).toBe(valid.id);
    expect((await resolveApp(deps(), cache, limiter, bearer(other.apiKey), client)).appId).toBe(other.id);
  });

  it('re-reads the valid hashes after a credential change event, and when they are older than the max age', async () => {
    const app = await api.createApp();
    const client = nextIp();
    await block(client);
    const cache = new ApiKeyCache(30_000, 10_000, 500);
    await resolveApp(deps(), cache, limiter, bearer(app.apiKey), client);
    const { apiKey: rotated } = await rotateApiKey(api.server.deps, TEST_ACTOR, app.slug);
    cache.invalidateApp(app.id); // the rotation's event: the next blocked request reads the hashes again
    expect((await resolveApp(deps(), cache, limiter, bearer(rotated), client)).appId).toBe(app.id);
    // An event this cache misses (it listens to none, as when pub/sub drops one): the new app is found once the list is older than the max age.
    const created = await api.createApp();
    const early = await resolveApp(deps(), cache, limiter, bearer(created.apiKey), client).catch((e: unknown) => e);
    expect(isAppError(early) && early.code).toBe('RATE_LIMITED');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await resolveApp(deps(), cache, limiter, bearer(created.apiKey), client)).appId).toBe(created.id);
  });

  it('refuses everything uncached if the valid hashes cannot be read', async () => {
    const app = await api.createApp();
    const client = nextIp();
    await block(client);
    const unreachable = createDatabase(`postgresql://postgres@127.0.0.1:5432/aqb_missing_${randomBytes(4).toString('hex')}`, { max: 1 });
    try {
      const error = await resolveApp({ db: unreachable }, new ApiKeyCache(30_000), limiter, bearer(app.apiKey), client).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('RATE_LIMITED');
    } finally {
      await unreachable.close();
    }
  });
});
