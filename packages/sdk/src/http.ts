/**
 * The request engine: one call = up to 1 + maxRetries attempts, each with its
 * own timeout, following the rules in retry.ts. Every failure leaves as an
 * AquorisBillingError subclass.
 */
import { AquorisBillingError, ConnectionError, TimeoutError, abortedError, errorFromResponse } from './errors.ts';
import { type RateLimitRetry, backoffDelay, decideHttpRetry, parseRetryAfter } from './retry.ts';
import { type FetchLike, type ResponseLike, sleep } from './runtime.ts';

/** Options every method accepts as its last argument. */
export interface RequestOptions {
  /** Cancels the call, including a pending retry wait. The call rejects with `RequestAbortedError`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds per attempt before it is abandoned (and retried). Defaults to the client's `timeout`. */
  timeout?: number | undefined;
  /** Retries after the first attempt. Defaults to the client's `maxRetries`; 0 disables retrying. */
  maxRetries?: number | undefined;
  /** On 429: `'wait'` for `Retry-After` and retry, or `'throw'` a RateLimitError at once. */
  rateLimitRetry?: RateLimitRetry | undefined;
}

export interface HttpConfig {
  apiKey: string;
  baseUrl: string;
  timeout: number;
  maxRetries: number;
  rateLimitRetry: RateLimitRetry;
  maxRateLimitWait: number;
  fetch: FetchLike;
  headers: Record<string, string>;
}

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, already URL-encoded, e.g. `/api/v1/plans`. */
  path: string;
  body?: unknown;
  /** Send the API key (every endpoint but health). Default true. */
  auth?: boolean;
  /** Non-2xx statuses whose JSON body is a normal answer (health's 503). */
  okStatuses?: readonly number[];
}

interface RawResponse {
  status: number;
  headers: ResponseLike['headers'];
  text: string;
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof inner?.code === 'string' ? inner.code : typeof inner?.message === 'string' ? inner.message : '';
  return detail ? `${cause.message} (${detail})` : cause.message;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (even if a custom fetch ignores the signal). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class HttpClient {
  constructor(private readonly config: HttpConfig) {}

  async request<T>(call: ApiCall, options: RequestOptions = {}): Promise<T> {
    const policy = {
      maxRetries: options.maxRetries ?? this.config.maxRetries,
      rateLimitRetry: options.rateLimitRetry ?? this.config.rateLimitRetry,
      maxRateLimitWait: this.config.maxRateLimitWait,
    };
    const timeout = options.timeout ?? this.config.timeout;
    const { signal } = options;
    for (let retries = 0; ; retries++) {
      if (signal?.aborted) throw abortedError(signal);
      let response: RawResponse;
      try {
        response = await this.attempt(call, timeout, signal);
      } catch (error) {
        if (!(error instanceof ConnectionError) || retries >= policy.maxRetries) throw error;
        await sleep(backoffDelay(retries), signal);
        continue;
      }
      const requestId = response.headers.get('x-request-id') ?? undefined;
      const json = parseJson(response.text);
      const ok = response.status >= 200 && response.status < 300;
      const accepted = call.okStatuses?.includes(response.status) && json.ok && typeof json.value === 'object';
      if (ok || accepted) {
        if (!json.ok) {
          throw new AquorisBillingError(`Expected a JSON response, got: ${response.text.slice(0, 200)}`, {
            code: 'INVALID_RESPONSE',
            status: response.status,
            requestId,
          });
        }
        return json.value as T;
      }
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      const error = errorFromResponse({
        status: response.status,
        body: json.ok ? json.value : undefined,
        requestId,
        retryAfter,
      });
      const decision = decideHttpRetry(response.status, retryAfter, retries, policy);
      if (!decision.retry) throw error;
      await sleep(decision.delayMs, signal);
    }
  }

  private headers(call: ApiCall): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json', ...this.config.headers };
    if (call.auth !== false) headers.Authorization = `Bearer ${this.config.apiKey}`;
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    return headers;
  }

  /** One HTTP exchange, body included, bounded by `timeout` and the caller's signal. */
  private async attempt(call: ApiCall, timeout: number, signal: AbortSignal | undefined): Promise<RawResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    try {
      const init = {
        method: call.method,
        headers: this.headers(call),
        signal: controller.signal,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      };
      const response = await raceAbort(
        Promise.resolve().then(() => this.config.fetch(`${this.config.baseUrl}${call.path}`, init)),
        controller.signal,
      );
      const text = await raceAbort(response.text(), controller.signal);
      return { status: response.status, headers: response.headers, text };
    } catch (cause) {
      if (signal?.aborted) throw abortedError(signal);
      if (timedOut) throw new TimeoutError(`Request timed out after ${timeout} ms`, { code: 'TIMEOUT', cause });
      throw new ConnectionError(`Connection error: ${describe(cause)}`, { code: 'CONNECTION_ERROR', cause });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
