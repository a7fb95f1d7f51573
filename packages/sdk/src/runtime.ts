/**
 * The few facts the SDK needs about where it runs, without importing anything
 * from Node: it must work on Node 18+, Bun, Deno and edge runtimes alike.
 */
import { abortedError } from './errors.ts';

/** The subset of a fetch `Response` the SDK reads. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The subset of `RequestInit` the SDK sends. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** Any fetch: the global one, undici's, node-fetch, a test double. */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>;

interface ProcessLike {
  env?: Record<string, string | undefined>;
  versions?: { node?: string };
}

function processOrUndefined(): ProcessLike | undefined {
  const candidate = (globalThis as { process?: unknown }).process;
  return candidate !== null && typeof candidate === 'object' ? (candidate as ProcessLike) : undefined;
}

/** An environment variable when `process.env` exists and is readable; undefined on edge runtimes. */
export function readEnv(name: string): string | undefined {
  try {
    const value = processOrUndefined()?.env?.[name]?.trim();
    return value ? value : undefined;
  } catch {
    return undefined; // e.g. Deno without --allow-env
  }
}

/** True in a web page (a window with a document), false on servers, workers and edge runtimes. */
export function isBrowser(): boolean {
  const g = globalThis as { window?: { document?: unknown }; document?: unknown };
  return typeof g.window === 'object' && g.window !== null && typeof g.window.document !== 'undefined';
}

/** Node, or a runtime that presents itself as Node-compatible (Bun, Deno): there `User-Agent` may be set. */
export function nodeVersion(): string | undefined {
  try {
    return processOrUndefined()?.versions?.node;
  } catch {
    return undefined;
  }
}

/** The global fetch, looked up per call so polyfills and test stubs installed later are seen. */
export const globalFetch: FetchLike = (url, init) => {
  const f = (globalThis as { fetch?: unknown }).fetch;
  if (typeof f !== 'function') {
    return Promise.reject(new TypeError('No global fetch: use Node 18+ or pass `fetch` to new AquorisBilling()'));
  }
  return (f as FetchLike)(url, init);
};

/** setTimeout fires at once for delays beyond 2^31 - 1 ms (~24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/** Resolves after `ms`, or rejects with RequestAbortedError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal as AbortSignal));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
