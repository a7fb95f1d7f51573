/**
 * The retry rules of the integration guide, as pure functions so they are
 * testable without a clock:
 *   - 500, 502, 503, 504, network errors and timeouts: exponential backoff
 *     1 s, 2 s, 4 s (+ up to 25 % jitter, never shorter than the guide's wait).
 *   - 429: wait `Retry-After` (seconds or HTTP date), else 60 s, + up to 10 %
 *     jitter so a fleet of servers doesn't return in lockstep; or throw at once
 *     with `rateLimitRetry: 'throw'`, or when the wait exceeds `maxRateLimitWait`.
 *   - any other status: never retried.
 */

export const INITIAL_RETRY_DELAY_MS = 1_000;
export const MAX_RETRY_DELAY_MS = 30_000;
export const BACKOFF_JITTER = 0.25;
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
export const RATE_LIMIT_JITTER = 0.1;

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

export type RateLimitRetry = 'wait' | 'throw';

/** Wait before retry number `retry` (0 for the first retry): 1 s, 2 s, 4 s, ... plus jitter. */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return Math.round(base * (1 + BACKOFF_JITTER * random()));
}

/** `Retry-After` in seconds: either delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/[a-z]/i.test(trimmed)) return undefined; // not an HTTP date ("-5" would parse as year -5)
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export interface RetryPolicy {
  maxRetries: number;
  rateLimitRetry: RateLimitRetry;
  maxRateLimitWait: number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/** Whether to retry after an HTTP response with `status`, and how long to wait first. */
export function decideHttpRetry(
  status: number,
  retryAfterSeconds: number | undefined,
  retriesSoFar: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (retriesSoFar >= policy.maxRetries) return { retry: false };
  if (status === 429) {
    if (policy.rateLimitRetry === 'throw') return { retry: false };
    const waitMs = retryAfterSeconds === undefined ? DEFAULT_RATE_LIMIT_WAIT_MS : retryAfterSeconds * 1000;
    if (waitMs > policy.maxRateLimitWait) return { retry: false };
    return { retry: true, delayMs: Math.round(waitMs * (1 + RATE_LIMIT_JITTER * random())) };
  }
  if (RETRYABLE_STATUSES.has(status)) return { retry: true, delayMs: backoffDelay(retriesSoFar, random) };
  return { retry: false };
}
