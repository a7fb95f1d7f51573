import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { EligibilityCache } from './eligibility-cache.ts';

// The eligibility route answers from memory, synchronously, once the key, a rate-limit lease
// (limits ≥ 200/min) and the answer are cached. These tests drive an app into that state and
// check it answers exactly like the asynchronous path.

let api: TestApi;
let busy: { id: string; apiKey: string };

const eligibility = (user: string, apiKey = busy.apiKey, headers: Record<string, string> = {}) =>
  api.request(`/api/v1/customers/${user}/subscription`, { apiKey, headers });

beforeAll(async () => {
  api = await startTestApi();
  busy = await api.createApp({ slug: 'busy', rateLimitPerMinute: 100_000 });
  await api.createPlan({ slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month' });
  await api.grantSubscription({ appSlug: 'busy', externalUserId: 'warm', planSlug: 'pro', days: 30 });
});
afterAll(() => api.close());

// Windows are calendar minutes: keep each test inside one.
beforeEach(async () => {
  const msIntoMinute = Date.now() % 60_000;
  if (msIntoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - msIntoMinute + 100));
});

describe('eligibility answered from memory', () => {
  it('answers a cached user with the same body and headers as the first, database-backed answer', async () => {
    const first = await eligibility('warm'); // key from the database, lease from Redis, answer from PostgreSQL
    const firstBody = await first.json();
    expect(api.server.eligibilityCache.get(EligibilityCache.key(busy.id, 'warm'))).toBeDefined();
    const second = await eligibility('warm', busy.apiKey, { 'x-request-id': 'from-memory-1' });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(firstBody);
    for (const response of [first, second]) {
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
    expect(second.headers.get('x-request-id')).toBe('from-memory-1');
    expect(first.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('loads a user not cached yet and then serves it from memory', async () => {
    await eligibility('warm');
    const missing = await eligibility('nobody-yet');
    expect(await missing.json()).toEqual({ base: null, addons: [] });
    expect(api.server.eligibilityCache.get(EligibilityCache.key(busy.id, 'nobody-yet'))).toBeDefined();
  });

  it('refuses bad input with the envelope', async () => {
    await eligibility('warm');
    const bad = await eligibility('%E0%A4%A');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as any).error.code).toBe('VALIDATION_ERROR');
    const tooLong = await eligibility('x'.repeat(257));
    expect(tooLong.status).toBe(422);
  });

  it('enforces the limit from the lease: 429 with Retry-After once the window is used up', async () => {
    const small = await api.createApp({ slug: 'leased', rateLimitPerMinute: 200 }); // leases of 2
    const statuses: number[] = [];
    for (let i = 0; i < 205; i++) statuses.push((await eligibility(`u${i % 3}`, small.apiKey)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(200);
    expect(statuses.slice(200)).toEqual([429, 429, 429, 429, 429]);
    const refused = await eligibility('u0', small.apiKey);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as any).error).toEqual({ code: 'RATE_LIMITED', message: expect.stringContaining('200 requests per minute') });
  });

  it('keeps apps apart: the same user id under another key is another answer', async () => {
    const other = await api.createApp({ slug: 'other-busy', rateLimitPerMinute: 100_000 });
    await eligibility('warm', other.apiKey);
    expect(await (await eligibility('warm', other.apiKey)).json()).toEqual({ base: null, addons: [] });
    expect(((await (await eligibility('warm')).json()) as any).base.status).toBe('ACTIVE');
  });

  it('refuses an unknown key even while another key is served from memory', async () => {
    await eligibility('warm');
    const res = await eligibility('warm', 'aqb_not_a_key');
    expect(res.status).toBe(401);
  });
});
