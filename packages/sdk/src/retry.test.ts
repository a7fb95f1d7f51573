import { describe, expect, it } from 'vitest';
import { backoffDelay, decideHttpRetry, parseRetryAfter, type RetryPolicy } from './retry.ts';

const policy: RetryPolicy = { maxRetries: 3, rateLimitRetry: 'wait', maxRateLimitWait: 60_000 };

describe('backoffDelay', () => {
  it('is 1 s, 2 s, 4 s plus up to 25 %', () => {
    expect([0, 1, 2].map((n) => backoffDelay(n, () => 0))).toEqual([1_000, 2_000, 4_000]);
    expect([0, 1, 2].map((n) => backoffDelay(n, () => 1))).toEqual([1_250, 2_500, 5_000]);
  });

  it('is capped at 30 s (+ jitter) for long retry budgets', () => {
    expect(backoffDelay(10, () => 0)).toBe(30_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(' 1.5 ')).toBe(1.5);
    const now = Date.parse('2026-04-07T12:00:00Z');
    expect(parseRetryAfter('Tue, 07 Apr 2026 12:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('Tue, 07 Apr 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });
});

describe('decideHttpRetry', () => {
  const zero = () => 0;

  it('retries 500, 502, 503 and 504 with backoff, up to maxRetries', () => {
    for (const status of [500, 502, 503, 504]) {
      expect(decideHttpRetry(status, undefined, 0, policy, zero)).toEqual({ retry: true, delayMs: 1_000 });
      expect(decideHttpRetry(status, undefined, 2, policy, zero)).toEqual({ retry: true, delayMs: 4_000 });
      expect(decideHttpRetry(status, undefined, 3, policy, zero)).toEqual({ retry: false });
    }
  });

  it('never retries other statuses', () => {
    for (const status of [400, 401, 403, 404, 405, 409, 413, 415, 422, 501]) {
      expect(decideHttpRetry(status, undefined, 0, policy, zero)).toEqual({ retry: false });
    }
  });

  it('429: Retry-After, else 60 s; throw mode; wait cap', () => {
    expect(decideHttpRetry(429, 5, 0, policy, zero)).toEqual({ retry: true, delayMs: 5_000 });
    expect(decideHttpRetry(429, undefined, 0, policy, zero)).toEqual({ retry: true, delayMs: 60_000 });
    expect(decideHttpRetry(429, undefined, 0, policy, () => 1)).toEqual({ retry: true, delayMs: 66_000 });
    expect(decideHttpRetry(429, 5, 0, { ...policy, rateLimitRetry: 'throw' }, zero)).toEqual({ retry: false });
    expect(decideHttpRetry(429, 61, 0, policy, zero)).toEqual({ retry: false });
    expect(decideHttpRetry(429, 5, 3, policy, zero)).toEqual({ retry: false });
  });
});
