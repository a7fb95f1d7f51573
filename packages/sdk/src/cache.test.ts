import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AquorisBilling, type ClientOptions } from './client.ts';
import { InternalServerError, RequestAbortedError } from './errors.ts';
import { ELIGIBLE, apiError, fakeFetch, json, type Reply } from './testing/fake-fetch.ts';

const NONE = { base: null, addons: [] };

function setup(replies: Reply[], cache: ClientOptions['cache'] = { ttlMs: 60_000 }, fallback?: Reply) {
  const fetch = fakeFetch(replies, fallback);
  const billing = new AquorisBilling({ apiKey: 'k', appSlug: 'vega', fetch, cache, maxRetries: 0 });
  return { fetch, billing };
}

/** A reply the test releases by hand, to hold requests in flight. */
function deferred(body: unknown) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reply: Reply = async () => {
    await gate;
    return json(200, body);
  };
  return { reply, release };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('eligibility cache', () => {
  it('is off by default: every call hits the API', async () => {
    const fetch = fakeFetch([], json(200, ELIGIBLE));
    const billing = new AquorisBilling({ apiKey: 'k', appSlug: 'vega', fetch });
    await billing.customers.getSubscription('u1');
    await billing.customers.getSubscription('u1');
    expect(fetch.requests).toHaveLength(2);
    const off = new AquorisBilling({ apiKey: 'k', appSlug: 'vega', fetch, cache: false });
    await Promise.all([off.customers.getSubscription('u1'), off.customers.getSubscription('u1')]);
    expect(fetch.requests).toHaveLength(4);
  });

  it('serves repeat calls for the same user from memory until the TTL passes', async () => {
    const { fetch, billing } = setup([json(200, ELIGIBLE), json(200, NONE)]);
    expect(await billing.customers.getSubscription('u1')).toEqual(ELIGIBLE);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(await billing.customers.getSubscription('u1')).toEqual(ELIGIBLE);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await billing.customers.getSubscription('u1')).toEqual(NONE);
    expect(fetch.requests).toHaveLength(2);
  });

  it('`cache: true` means the 60 s default', async () => {
    const { fetch, billing } = setup([json(200, ELIGIBLE), json(200, ELIGIBLE)], true);
    await billing.customers.getSubscription('u1');
    await vi.advanceTimersByTimeAsync(30_000);
    await billing.customers.getSubscription('u1');
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(30_000);
    await billing.customers.getSubscription('u1');
    expect(fetch.requests).toHaveLength(2);
  });

  it('keys by user', async () => {
    const { fetch, billing } = setup([json(200, ELIGIBLE), json(200, NONE)]);
    expect(await billing.customers.getSubscription('u1')).toEqual(ELIGIBLE);
    expect(await billing.customers.getSubscription('u2')).toEqual(NONE);
    expect(fetch.requests.map((r) => r.url)).toEqual([
      'https://payment.aquoris.ai/api/v1/customers/u1/subscription',
      'https://payment.aquoris.ai/api/v1/customers/u2/subscription',
    ]);
  });

  it('shares one request between concurrent calls for the same user (single-flight)', async () => {
    const slow = deferred(ELIGIBLE);
    const { fetch, billing } = setup([slow.reply]);
    const calls = Array.from({ length: 5 }, () => billing.customers.getSubscription('u1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.requests).toHaveLength(1);
    slow.release();
    const results = await Promise.all(calls);
    expect(results).toEqual(Array.from({ length: 5 }, () => ELIGIBLE));
    expect(new Set(results).size).toBe(5); // separate copies
  });

  it('does not cache errors, and a failed flight lets the next call try again', async () => {
    const { fetch, billing } = setup([apiError(500, 'INTERNAL_ERROR', 'x'), json(200, ELIGIBLE)]);
    const [a, b] = await Promise.allSettled([billing.customers.getSubscription('u1'), billing.customers.getSubscription('u1')]);
    expect(a).toMatchObject({ status: 'rejected', reason: expect.any(InternalServerError) });
    expect(b).toMatchObject({ status: 'rejected', reason: expect.any(InternalServerError) });
    expect(fetch.requests).toHaveLength(1);
    expect(await billing.customers.getSubscription('u1')).toEqual(ELIGIBLE);
    expect(fetch.requests).toHaveLength(2);
  });

  it('invalidate(user) forgets one user; invalidateAll() forgets everyone', async () => {
    const { fetch, billing } = setup([], false, json(200, ELIGIBLE));
    const c = new AquorisBilling({ apiKey: 'k', appSlug: 'vega', fetch, cache: {} });
    await c.customers.getSubscription('u1');
    await c.customers.getSubscription('u2');
    c.customers.invalidate('u1');
    await c.customers.getSubscription('u1');
    await c.customers.getSubscription('u2');
    expect(fetch.requests.map((r) => r.url.split('/')[6])).toEqual(['u1', 'u2', 'u1']);
    c.customers.invalidateAll();
    await c.customers.getSubscription('u1');
    await c.customers.getSubscription('u2');
    expect(fetch.requests).toHaveLength(5);
    expect(() => billing.customers.invalidate('u1')).not.toThrow(); // no-op without a cache
  });

  it('after invalidate, an answer already in flight is not stored and new callers do not join it', async () => {
    const stale = deferred(NONE);
    const { fetch, billing } = setup([stale.reply, json(200, ELIGIBLE)]);
    const before = billing.customers.getSubscription('u1');
    await vi.advanceTimersByTimeAsync(0);
    billing.customers.invalidate('u1'); // e.g. the user just came back from checkout
    const after = billing.customers.getSubscription('u1');
    stale.release();
    expect(await before).toEqual(NONE);
    expect(await after).toEqual(ELIGIBLE);
    expect(await billing.customers.getSubscription('u1')).toEqual(ELIGIBLE);
    expect(fetch.requests).toHaveLength(2);
  });

  it('{ fresh: true } bypasses the cached answer and refreshes it', async () => {
    const { fetch, billing } = setup([json(200, NONE), json(200, ELIGIBLE)]);
    expect(await billing.customers.getSubscription('u1')).toEqual(NONE);
    expect(await billing.customers.getSubscription('u1', { fresh: true })).toEqual(ELIGIBLE);
    expect(await billing.customers.getSubscription('u1')).toEqual(ELIGIBLE);
    expect(fetch.requests).toHaveLength(2);
  });

  it('is bounded: the least recently used user is evicted beyond maxEntries', async () => {
    const { fetch, billing } = setup([], { maxEntries: 2 }, json(200, ELIGIBLE));
    await billing.customers.getSubscription('a');
    await billing.customers.getSubscription('b');
    await billing.customers.getSubscription('a'); // a is now most recent
    await billing.customers.getSubscription('c'); // evicts b
    expect(fetch.requests).toHaveLength(3);
    await billing.customers.getSubscription('a');
    await billing.customers.getSubscription('c');
    expect(fetch.requests).toHaveLength(3);
    await billing.customers.getSubscription('b');
    expect(fetch.requests).toHaveLength(4);
  });

  it('hands out copies: mutating a result does not change the cache', async () => {
    const { billing } = setup([json(200, ELIGIBLE)]);
    const first = await billing.customers.getSubscription('u1');
    (first as { base: unknown }).base = null;
    expect(await billing.customers.getSubscription('u1')).toEqual(ELIGIBLE);
  });

  it('a caller that aborts stops waiting without cancelling the request others share', async () => {
    const slow = deferred(ELIGIBLE);
    const { fetch, billing } = setup([slow.reply]);
    const controller = new AbortController();
    const impatient = billing.customers.getSubscription('u1', { signal: controller.signal });
    const patient = billing.customers.getSubscription('u1');
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await expect(impatient).rejects.toBeInstanceOf(RequestAbortedError);
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    slow.release();
    expect(await patient).toEqual(ELIGIBLE);
  });

  it('when every caller aborts, the shared request is aborted and the next call starts afresh', async () => {
    const { fetch, billing } = setup(['hang', json(200, ELIGIBLE)]);
    const controller = new AbortController();
    const call = billing.customers.getSubscription('u1', { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(RequestAbortedError);
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    expect(await billing.customers.getSubscription('u1')).toEqual(ELIGIBLE);
    expect(fetch.requests).toHaveLength(2);
  });

  it('validates its options', () => {
    expect(() => new AquorisBilling({ apiKey: 'k', appSlug: 'a', cache: { ttlMs: 0 } })).toThrow(RangeError);
    expect(() => new AquorisBilling({ apiKey: 'k', appSlug: 'a', cache: { maxEntries: 0 } })).toThrow(RangeError);
  });

  it('customers.hasAccess / hasPlan use the same cached answer', async () => {
    const { fetch, billing } = setup([json(200, ELIGIBLE)]);
    expect(await billing.customers.hasAccess('u1')).toBe(true);
    expect(await billing.customers.hasPlan('u1', 'pro')).toBe(true);
    expect(await billing.customers.hasPlan('u1', ['team', 'enterprise'])).toBe(false);
    expect(fetch.requests).toHaveLength(1);
  });
});
