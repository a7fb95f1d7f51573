import { beforeEach, describe, expect, it } from 'vitest';
import { rotateApiKey } from '@aquoris/core';
import { startTestApi, TEST_ACTOR, useTwoApiInstances, type TestApi } from '../testing/index.ts';

let a: TestApi;
let b: TestApi;
// A second API instance over the same database and Redis namespace, as in a multi-instance deployment.
useTwoApiInstances((first, second) => ((a = first), (b = second)));

// Windows are calendar minutes: start each test well inside one so counts are exact.
beforeEach(async () => {
  const msIntoMinute = Date.now() % 60_000;
  if (msIntoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - msIntoMinute + 100));
});

describe('per-app rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the limit', async () => {
    const app = await a.createApp({ rateLimitPerMinute: 5 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await a.request('/api/v1/plans', { apiKey: app.apiKey });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const retryAfter = Number(last!.headers.get('retry-after'));
    const secondsLeft = Math.ceil((60_000 - (Date.now() % 60_000)) / 1000);
    expect(Math.abs(retryAfter - secondsLeft)).toBeLessThanOrEqual(1);
    expect((await last!.json()) as any).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringContaining('5 requests per minute') } });
    expect(last!.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('defaults to 100 per minute', async () => {
    const app = await a.createApp();
    const results = await Promise.all(Array.from({ length: 105 }, () => a.request('/api/v1/plans', { apiKey: app.apiKey })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(100);
    expect(results.filter((r) => r.status === 429)).toHaveLength(5);
  });

  it('is one limit shared by every API instance', async () => {
    const app = await a.createApp({ rateLimitPerMinute: 10 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).request('/api/v1/plans', { apiKey: app.apiKey })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(10);
  });

  it('limits each app separately', async () => {
    const small = await a.createApp({ rateLimitPerMinute: 1 });
    const big = await a.createApp({ rateLimitPerMinute: 1000 });
    expect((await a.request('/api/v1/plans', { apiKey: small.apiKey })).status).toBe(200);
    expect((await a.request('/api/v1/plans', { apiKey: small.apiKey })).status).toBe(429);
    expect((await a.request('/api/v1/plans', { apiKey: big.apiKey })).status).toBe(200);
  });

  it('counts a request against an unknown key against no app', async () => {
    const res = await a.request('/api/v1/plans', { apiKey: 'aqb_unknown' });
    expect(res.status).toBe(401);
  });
});

describe('failed authentication limit', () => {
  it('refuses a client after 60 invalid keys in a minute, before any database lookup, without blocking valid keys', async () => {
    const fresh = await startTestApi({ databaseUrl: a.databaseUrl }); // its own Redis prefix: no earlier failures counted
    try {
      await sprayAndCheck(fresh);
    } finally {
      await fresh.close();
    }
  });
});

async function sprayAndCheck(a: TestApi): Promise<void> {
  const app = await a.createApp({ rateLimitPerMinute: 1000 });
  const uncached = await a.createApp({ rateLimitPerMinute: 1000 }); // never used before the spray
  const rotated = await a.createApp({ rateLimitPerMinute: 1000 });
  expect((await a.request('/api/v1/plans', { apiKey: app.apiKey })).status).toBe(200); // cached before the spray
  const statuses: number[] = [];
  for (let i = 0; i < 62; i++) statuses.push((await a.request('/api/v1/plans', { apiKey: `aqb_spray_${i}` })).status);
  expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(60)).toEqual([429, 429]);
  const blocked = await a.request('/api/v1/plans', { apiKey: 'aqb_spray_more' });
  expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(((await blocked.json()) as any).error.code).toBe('RATE_LIMITED');
  expect((await a.request('/api/v1/plans', { apiKey: app.apiKey })).status).toBe(200);

  // A valid key that is not cached is still answered, on the Express routes and on the eligibility fast path.
  expect((await a.request('/api/v1/customers/u1/subscription', { apiKey: uncached.apiKey })).status).toBe(200);
  expect((await a.request('/api/v1/plans', { apiKey: uncached.apiKey })).status).toBe(200);
  // A key rotated while the client is blocked: the new one works once the change event arrives, the old one is refused.
  const { apiKey: fresh } = await rotateApiKey(a.server.deps, TEST_ACTOR, rotated.slug);
  await new Promise((r) => setTimeout(r, 100)); // pub/sub delivery
  expect((await a.request('/api/v1/plans', { apiKey: fresh })).status).toBe(200);
  expect((await a.request('/api/v1/plans', { apiKey: rotated.apiKey })).status).toBe(429);
  // And the spray stays refused.
  expect((await a.request('/api/v1/plans', { apiKey: 'aqb_spray_last' })).status).toBe(429);
}
