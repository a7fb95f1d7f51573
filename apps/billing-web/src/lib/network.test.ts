import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeError } from './errors.ts';
import { createQueryClient, fetchWithTimeout, isTimeout, RequestTimeoutError } from './network.ts';

/** A fetch that never answers, but honours its abort signal like the real one. */
const hangingFetch = (_url: unknown, init?: RequestInit) =>
  new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));

afterEach(() => vi.unstubAllGlobals());

describe('requests that get no answer', () => {
  it('time out with a RequestTimeoutError, worded for a person', async () => {
    vi.stubGlobal('fetch', hangingFetch);
    const error = await fetchWithTimeout('/trpc/x', {}, 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    // tRPC wraps the fetch failure: the words still come from the timeout it wraps.
    const wrapped = Object.assign(new Error('fetch failed'), { cause: error });
    expect(isTimeout(wrapped)).toBe(true);
    expect(describeError(wrapped)).toBe('The billing service is taking too long to answer. Check your connection and try again.');
    expect(describeError(new TypeError('Failed to fetch'))).toContain("We couldn't reach the billing service");
  });

  it("the caller's own abort still aborts, and is not called a timeout", async () => {
    vi.stubGlobal('fetch', hangingFetch);
    const caller = new AbortController();
    const pending = fetchWithTimeout('/trpc/x', { signal: caller.signal }, 10_000).catch((e: unknown) => e);
    caller.abort(new Error('navigated away'));
    const error = await pending;
    expect(isTimeout(error)).toBe(false);
  });
});

describe('the query client', () => {
  it('never pauses or queues offline: queries and mutations run (and fail) at once, mutations are never retried', () => {
    const defaults = createQueryClient().getDefaultOptions();
    expect(defaults.queries?.networkMode).toBe('always');
    expect(defaults.mutations?.networkMode).toBe('always');
    expect(defaults.mutations?.retry).toBe(false);
  });
});
