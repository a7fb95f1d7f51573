import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AquorisBilling, type ClientOptions } from './client.ts';
import {
  AquorisBillingError,
  AuthenticationError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  ProviderError,
  RateLimitError,
  RequestAbortedError,
  TimeoutError,
  ValidationError,
} from './errors.ts';
import { apiError, fakeFetch, json, networkError, type Reply, text } from './testing/fake-fetch.ts';

const PLANS = { plans: [] };

function setup(replies: Reply[], options: ClientOptions = {}) {
  const fetch = fakeFetch(replies);
  const client = new AquorisBilling({ apiKey: 'sk_test', appSlug: 'vega', baseUrl: 'https://billing.test', fetch, ...options });
  return { fetch, client };
}

/** Starts a call, and captures its outcome without leaving a rejection unhandled while timers are advanced. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/** Elapsed ms between consecutive requests. */
function gaps(fetch: { requests: { at: number }[] }): number[] {
  return fetch.requests.slice(1).map((request, i) => request.at - (fetch.requests[i]?.at ?? 0));
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('retries with exponential backoff', () => {
  it('waits 1 s, 2 s, 4 s between attempts and gives up after 3 retries (no jitter)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fetch, client } = setup([
      apiError(500, 'INTERNAL_ERROR', 'boom'),
      apiError(500, 'INTERNAL_ERROR', 'boom'),
      apiError(502, 'PROVIDER_ERROR', 'stripe'),
      apiError(500, 'INTERNAL_ERROR', 'last'),
    ]);
    const call = track(client.plans.list());

    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fetch.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(fetch.requests).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch.requests).toHaveLength(4);

    expect(gaps(fetch)).toEqual([1_000, 2_000, 4_000]);
    expect(call.error).toBeInstanceOf(InternalServerError);
    expect(call.error).toMatchObject({ message: 'last', code: 'INTERNAL_ERROR', status: 500, requestId: 'req_500' });
  });

  it('adds up to 25 % jitter on top of each wait', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    const { fetch, client } = setup([
      apiError(503, 'SERVICE_UNAVAILABLE', 'x'),
      apiError(504, 'GATEWAY_TIMEOUT', 'x'),
      apiError(500, 'INTERNAL_ERROR', 'x'),
      json(200, PLANS),
    ]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call.value).toEqual(PLANS);
    expect(gaps(fetch)).toEqual([1_250, 2_500, 5_000]);
  });

  it('keeps every wait within [base, base × 1.25] with real randomness', async () => {
    const { fetch, client } = setup([
      apiError(500, 'INTERNAL_ERROR', 'x'),
      apiError(500, 'INTERNAL_ERROR', 'x'),
      apiError(500, 'INTERNAL_ERROR', 'x'),
      json(200, PLANS),
    ]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call.value).toEqual(PLANS);
    gaps(fetch).forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(1_000 * 2 ** i);
      expect(gap).toBeLessThanOrEqual(1_250 * 2 ** i);
    });
  });

  it('returns the first success after a retry', async () => {
    const { fetch, client } = setup([apiError(502, 'PROVIDER_ERROR', 'stripe down'), json(200, PLANS)]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(1_250);
    expect(call.value).toEqual(PLANS);
    expect(fetch.requests).toHaveLength(2);
  });

  it('honours maxRetries from the client and per request', async () => {
    const five = () => Array.from({ length: 5 }, () => apiError(500, 'INTERNAL_ERROR', 'x'));
    const a = setup(five(), { maxRetries: 1 });
    const callA = track(a.client.plans.list());
    await vi.advanceTimersByTimeAsync(30_000);
    expect(a.fetch.requests).toHaveLength(2);
    expect(callA.error).toBeInstanceOf(InternalServerError);

    const b = setup(five());
    const callB = track(b.client.plans.list({ maxRetries: 0 }));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(b.fetch.requests).toHaveLength(1);
    expect(callB.error).toBeInstanceOf(InternalServerError);
  });

  it('retries network errors, then throws ConnectionError with the cause', async () => {
    const { fetch, client } = setup([networkError(), networkError(), networkError(), networkError()]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch.requests).toHaveLength(4);
    expect(call.error).toBeInstanceOf(ConnectionError);
    expect(call.error).not.toBeInstanceOf(TimeoutError);
    expect(call.error).toMatchObject({ code: 'CONNECTION_ERROR', status: undefined, requestId: undefined });
    expect((call.error as Error).message).toContain('ECONNREFUSED');
    expect((call.error as Error).cause).toBeInstanceOf(TypeError);
  });

  it('recovers when the network comes back', async () => {
    const { fetch, client } = setup([networkError('ECONNRESET'), json(200, PLANS)]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(1_250);
    expect(call.value).toEqual(PLANS);
    expect(fetch.requests).toHaveLength(2);
  });

  it.each([
    [400, 'BAD_REQUEST', AquorisBillingError],
    [401, 'UNAUTHORIZED', AuthenticationError],
    [403, 'FORBIDDEN', AquorisBillingError],
    [404, 'PLAN_NOT_FOUND', NotFoundError],
    [409, 'ALREADY_SUBSCRIBED', AquorisBillingError],
    [422, 'VALIDATION_ERROR', ValidationError],
  ])('never retries %i %s', async (status, code, ErrorClass) => {
    const { fetch, client } = setup([apiError(status, code, 'no'), json(200, PLANS)]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch.requests).toHaveLength(1);
    expect(call.error).toBeInstanceOf(ErrorClass);
    expect(call.error).toMatchObject({ code, status, requestId: `req_${status}` });
  });

  it('sends the same method, URL and body on every attempt (POST /sessions is safe to retry)', async () => {
    const { fetch, client } = setup([apiError(500, 'INTERNAL_ERROR', 'x'), json(200, { url: 'https://billing.test/session/abc' })]);
    const call = track(client.sessions.create({ externalUserId: 'u1', intent: 'upgrade', planSlug: 'pro' }));
    await vi.advanceTimersByTimeAsync(1_250);
    expect(call.value).toEqual({ url: 'https://billing.test/session/abc' });
    const [first, second] = fetch.requests;
    expect(second?.method).toBe('POST');
    expect(second?.url).toBe(first?.url);
    expect(second?.body).toEqual(first?.body);
  });
});

describe('429 rate limiting', () => {
  it('waits Retry-After seconds (plus at most 10 %) and retries', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fetch, client } = setup([apiError(429, 'RATE_LIMITED', 'slow down', { 'retry-after': '7' }), json(200, PLANS)]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(6_999);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests).toHaveLength(2);
    expect(call.value).toEqual(PLANS);
  });

  it('waits 60 s when there is no Retry-After header', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { fetch, client } = setup([apiError(429, 'RATE_LIMITED', 'slow down'), json(200, PLANS)]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(59_999);
    expect(fetch.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_001); // 60 s + 5 % jitter
    expect(fetch.requests).toHaveLength(2);
    expect(gaps(fetch)[0]).toBe(63_000);
    expect(call.value).toEqual(PLANS);
  });

  it('accepts Retry-After as an HTTP date', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    vi.setSystemTime(new Date('2026-04-07T12:00:00Z'));
    const { fetch, client } = setup([apiError(429, 'RATE_LIMITED', 'slow down', { 'retry-after': 'Tue, 07 Apr 2026 12:00:05 GMT' }), json(200, PLANS)]);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(5_000);
    expect(call.value).toEqual(PLANS);
    expect(gaps(fetch)).toEqual([5_000]);
  });

  it("throws RateLimitError with retryAfter at once with rateLimitRetry: 'throw'", async () => {
    const { fetch, client } = setup([apiError(429, 'RATE_LIMITED', 'Too many requests', { 'retry-after': '42' })], {
      rateLimitRetry: 'throw',
    });
    const error = await client.plans.list().catch((e: unknown) => e);
    expect(fetch.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 42, requestId: 'req_429', message: 'Too many requests' });
  });

  it('can throw per request while the client waits by default', async () => {
    const { fetch, client } = setup([apiError(429, 'RATE_LIMITED', 'x')]);
    const error = await client.plans.list({ rateLimitRetry: 'throw' }).catch((e: unknown) => e);
    expect(fetch.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBeUndefined();
  });

  it('throws instead of waiting longer than maxRateLimitWait', async () => {
    const { fetch, client } = setup([apiError(429, 'RATE_LIMITED', 'x', { 'retry-after': '120' })]);
    const error = await client.plans.list().catch((e: unknown) => e);
    expect(fetch.requests).toHaveLength(1);
    expect(error).toMatchObject({ name: 'RateLimitError', retryAfter: 120 });

    const patient = setup([apiError(429, 'RATE_LIMITED', 'x', { 'retry-after': '120' }), json(200, PLANS)], { maxRateLimitWait: 300_000 });
    const call = track(patient.client.plans.list());
    await vi.advanceTimersByTimeAsync(132_000);
    expect(call.value).toEqual(PLANS);
  });

  it('counts 429 retries against maxRetries', async () => {
    const many = Array.from({ length: 5 }, () => apiError(429, 'RATE_LIMITED', 'x', { 'retry-after': '1' }));
    const { fetch, client } = setup(many);
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch.requests).toHaveLength(4);
    expect(call.error).toBeInstanceOf(RateLimitError);
  });

  it('aborting during the 429 wait rejects at once with RequestAbortedError and sends nothing more', async () => {
    const { fetch, client } = setup([apiError(429, 'RATE_LIMITED', 'x'), json(200, PLANS)]);
    const controller = new AbortController();
    const call = track(client.plans.list({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call.settled).toBe(false);
    const reason = new Error('user went away');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(call.error).toBeInstanceOf(RequestAbortedError);
    expect(call.error).toMatchObject({ code: 'ABORTED', cause: reason });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch.requests).toHaveLength(1);
  });
});

describe('timeouts and aborts', () => {
  it('abandons an attempt after `timeout` ms, retries it, then throws TimeoutError', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fetch, client } = setup(['hang', 'hang'], { timeout: 5_000, maxRetries: 1 });
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000); // backoff
    expect(fetch.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect(call.error).toBeInstanceOf(ConnectionError);
    expect(call.error).toMatchObject({ code: 'TIMEOUT', message: 'Request timed out after 5000 ms' });
  });

  it('a per-request timeout overrides the client default', async () => {
    const { client } = setup(['hang']);
    const call = track(client.plans.list({ timeout: 100, maxRetries: 0 }));
    await vi.advanceTimersByTimeAsync(100);
    expect(call.error).toBeInstanceOf(TimeoutError);
  });

  it('times out even when a custom fetch ignores the signal', async () => {
    const never = Object.assign(() => new Promise<never>(() => {}), {});
    const client = new AquorisBilling({ apiKey: 'k', appSlug: 'a', fetch: never, timeout: 50, maxRetries: 0 });
    const call = track(client.plans.list());
    await vi.advanceTimersByTimeAsync(50);
    expect(call.error).toBeInstanceOf(TimeoutError);
  });

  it('aborting an in-flight request rejects with RequestAbortedError and does not retry', async () => {
    const { fetch, client } = setup(['hang', json(200, PLANS)]);
    const controller = new AbortController();
    const call = track(client.plans.list({ signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call.error).toBeInstanceOf(RequestAbortedError);
    expect(fetch.requests).toHaveLength(1);
    expect(fetch.requests[0]?.signal.aborted).toBe(true);
  });

  it('an already aborted signal sends nothing', async () => {
    const { fetch, client } = setup([json(200, PLANS)]);
    const error = await client.plans.list({ signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestAbortedError);
    expect(fetch.requests).toHaveLength(0);
  });
});

describe('responses', () => {
  it('maps every documented error code to its class, with code, status, message and requestId', async () => {
    const cases = [
      [401, 'UNAUTHORIZED', AuthenticationError],
      [404, 'CUSTOMER_NOT_FOUND', NotFoundError],
      [404, 'PLAN_NOT_FOUND', NotFoundError],
      [404, 'APP_NOT_FOUND', NotFoundError],
      [422, 'VALIDATION_ERROR', ValidationError],
      [429, 'RATE_LIMITED', RateLimitError],
      [500, 'INTERNAL_ERROR', InternalServerError],
      [502, 'PROVIDER_ERROR', ProviderError],
      [503, 'SERVICE_UNAVAILABLE', InternalServerError],
    ] as const;
    for (const [status, code, ErrorClass] of cases) {
      const { client } = setup([apiError(status, code, `msg ${code}`, { 'x-request-id': `req_${code}` })], {
        maxRetries: 0,
        rateLimitRetry: 'throw',
      });
      const error = await client.plans.list().catch((e: unknown) => e);
      expect(error, code).toBeInstanceOf(ErrorClass);
      expect(error, code).toBeInstanceOf(AquorisBillingError);
      expect(error, code).toBeInstanceOf(Error);
      expect(error, code).toMatchObject({ code, status, message: `msg ${code}`, requestId: `req_${code}`, name: ErrorClass.name });
    }
  });

  it('falls back to a code from the status when the body is not the error envelope', async () => {
    const { client } = setup([text(502, '<html>Bad Gateway</html>', { 'x-request-id': 'req_lb' })], { maxRetries: 0 });
    const error = await client.plans.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', status: 502, requestId: 'req_lb', message: 'Request failed with status 502' });
  });

  it('rejects a 2xx that is not JSON with INVALID_RESPONSE', async () => {
    const { client } = setup([text(200, '<html>captive portal</html>')]);
    const error = await client.plans.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AquorisBillingError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200 });
  });
});
