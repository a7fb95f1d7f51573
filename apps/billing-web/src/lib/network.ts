import { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { isSessionError } from './errors.ts';

/** A request with no answer by then fails with a timeout (and a way to try again), instead of spinning forever. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** Thrown by `fetchWithTimeout`; `describeError` words it for a person. */
export class RequestTimeoutError extends Error {
  override name = 'RequestTimeoutError';
  constructor(timeoutMs: number) {
    super(`No answer within ${timeoutMs / 1000} s`);
  }
}

/** fetch that gives up after `timeoutMs` (the caller's own abort still works). */
export async function fetchWithTimeout(url: RequestInfo | URL, init: RequestInit = {}, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Response> {
  const timer = new AbortController();
  const id = setTimeout(() => timer.abort(new RequestTimeoutError(timeoutMs)), timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
  try {
    return await fetch(url, { ...init, signal });
  } catch (error) {
    if (timer.signal.aborted) throw timer.signal.reason as RequestTimeoutError;
    throw error;
  } finally {
    clearTimeout(id);
  }
}

/**
 * networkMode 'always': offline, a request fails at once and says so (react-query's default, 'online',
 * pauses it: the page spins with no message, and a paused mutation fires by itself on reconnect, maybe
 * after the subscriber has clicked again). No mutation is ever queued, so none can run twice; a retry
 * is always the subscriber's own click. Queries still refetch on reconnect.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        networkMode: 'always',
        // One quiet retry for network blips; never for an expired session, never after a timeout (it already waited).
        retry: (count, error) => count < 1 && !isSessionError(error) && !isTimeout(error),
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

/** The error, or what it wraps (tRPC puts the fetch failure in `cause`), is a request timeout. */
export function isTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof RequestTimeoutError || (e as { name?: unknown }).name === 'RequestTimeoutError') return true;
  }
  return false;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

/** navigator.onLine, kept current by the online/offline events. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => navigator.onLine,
    () => true,
  );
}
