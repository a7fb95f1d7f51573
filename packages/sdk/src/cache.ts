/**
 * In-memory cache for eligibility answers, per externalUserId:
 *   - entries live `ttlMs` from when the response arrived; at most `maxEntries`
 *     (least recently used goes first);
 *   - concurrent calls for the same user share one request (single-flight);
 *     a caller that aborts only stops waiting, and the shared request is
 *     aborted only when every caller has left;
 *   - errors are never stored;
 *   - `invalidate` also detaches an in-flight request, so its (possibly stale)
 *     answer is not stored and later callers start a new one.
 * Every caller gets its own copy, so mutating a result cannot corrupt the cache.
 */
import { abortedError } from './errors.ts';

export interface CacheOptions {
  /** How long an answer is reused, in milliseconds. Default 60 000. */
  ttlMs?: number | undefined;
  /** Most users kept; the least recently used is dropped first. Default 1 000. */
  maxEntries?: number | undefined;
}

export const DEFAULT_CACHE_TTL_MS = 60_000;
export const DEFAULT_CACHE_MAX_ENTRIES = 1_000;

interface Flight<T> {
  key: string;
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  settled: boolean;
}

const copy: <T>(value: T) => T = typeof structuredClone === 'function' ? (value) => structuredClone(value) : (value) => JSON.parse(JSON.stringify(value));

export class TtlCache<T> {
  readonly ttlMs: number;
  readonly maxEntries: number;
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  private readonly flights = new Map<string, Flight<T>>();

  constructor(options: CacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
    if (!(this.ttlMs > 0)) throw new RangeError('cache.ttlMs must be a positive number of milliseconds');
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError('cache.maxEntries must be a positive integer');
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached value for `key`, else the result of `load` (shared with concurrent callers).
   * `fresh` skips the cached value and any in-flight request and stores the new answer.
   */
  get(key: string, load: (signal: AbortSignal) => Promise<T>, options: { signal?: AbortSignal | undefined; fresh?: boolean | undefined } = {}): Promise<T> {
    if (options.signal?.aborted) return Promise.reject(abortedError(options.signal));
    if (!options.fresh) {
      const hit = this.read(key);
      if (hit) return Promise.resolve(copy(hit.value));
    }
    const flight = (!options.fresh && this.flights.get(key)) || this.start(key, load);
    return this.join(flight, options.signal);
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    this.flights.delete(key);
  }

  invalidateAll(): void {
    this.entries.clear();
    this.flights.clear();
  }

  private read(key: string): { value: T } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key); // re-insert: Map order is our LRU order
    this.entries.set(key, entry);
    return entry;
  }

  private write(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  private start(key: string, load: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController();
    const flight: Flight<T> = { key, promise: undefined as never, controller, waiters: 0, settled: false };
    flight.promise = Promise.resolve()
      .then(() => load(controller.signal))
      .then((value) => {
        // Store only if this flight is still the current one (not invalidated or superseded).
        if (this.flights.get(key) === flight) this.write(key, value);
        return value;
      })
      .finally(() => {
        flight.settled = true;
        if (this.flights.get(key) === flight) this.flights.delete(key);
      });
    flight.promise.catch(() => {}); // callers handle it; a flight everyone left must not be "unhandled"
    this.flights.set(key, flight);
    return flight;
  }

  private join(flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiters++;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const leave = () => {
        done = true;
        flight.waiters--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (done) return;
        leave();
        if (flight.waiters === 0 && !flight.settled) {
          // Nobody waits any more: stop the request, and let the next caller start afresh.
          if (this.flights.get(flight.key) === flight) this.flights.delete(flight.key);
          flight.controller.abort(signal?.reason);
        }
        reject(abortedError(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          if (done) return;
          leave();
          resolve(copy(value));
        },
        (error: unknown) => {
          if (done) return;
          leave();
          reject(error);
        },
      );
    });
  }
}
