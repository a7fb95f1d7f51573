/** A scripted fetch for unit tests: replies in order, records every request, honours AbortSignal like real fetch. */
import type { FetchInit, FetchLike, ResponseLike } from '../runtime.ts';

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  /** Date.now() when the request was sent (fake timers move it). */
  at: number;
  signal: AbortSignal;
}

/** A response, an error to throw (network failure), or 'hang' (never answers until aborted). */
export type Reply = ResponseLike | Error | 'hang' | ((request: RecordedRequest) => ResponseLike | Promise<ResponseLike>);

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ResponseLike {
  return text(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

export function text(status: number, bodyText: string, headers: Record<string, string> = {}): ResponseLike {
  const lower = new Map(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
  return {
    status,
    headers: { get: (name: string) => lower.get(name.toLowerCase()) ?? null },
    text: async () => bodyText,
  };
}

export function apiError(status: number, code: string, message: string, headers: Record<string, string> = {}): ResponseLike {
  return json(status, { error: { code, message } }, { 'x-request-id': `req_${status}`, ...headers });
}

export const ELIGIBLE = {
  base: {
    status: 'ACTIVE',
    plan: { slug: 'pro', name: 'Aquoris PRO', interval: 'month' },
    currentPeriodEnd: '2026-05-06T00:00:00.000Z',
    cancelAtPeriodEnd: false,
    source: 'CHECKOUT',
  },
  addons: [],
} as const;

export interface FakeFetch extends FetchLike {
  requests: RecordedRequest[];
  /** Queue more replies. When the queue is empty, `fallback` answers (default: throws). */
  push(...replies: Reply[]): void;
}

export function fakeFetch(replies: Reply[] = [], fallback?: Reply): FakeFetch {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  const fetch = (async (url: string, init: FetchInit) => {
    const request: RecordedRequest = {
      url,
      method: init.method,
      headers: init.headers,
      body: init.body === undefined ? undefined : JSON.parse(init.body),
      at: Date.now(),
      signal: init.signal,
    };
    requests.push(request);
    const reply = queue.length > 0 ? queue.shift() : fallback;
    if (reply === undefined) throw new Error(`fakeFetch: no reply scripted for request #${requests.length} ${url}`);
    if (init.signal.aborted) throw init.signal.reason;
    if (reply instanceof Error) throw reply;
    if (reply === 'hang') {
      return new Promise<ResponseLike>((_, reject) => {
        init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true });
      });
    }
    return typeof reply === 'function' ? reply(request) : reply;
  }) as FakeFetch;
  fetch.requests = requests;
  fetch.push = (...more) => queue.push(...more);
  return fetch;
}

/** What undici's fetch throws when the server is unreachable. */
export function networkError(code = 'ECONNREFUSED'): TypeError {
  const error = new TypeError('fetch failed');
  (error as { cause?: unknown }).cause = Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
  return error;
}
