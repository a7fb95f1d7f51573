import { StripeApiError } from '../core/errors.ts';

export interface Stored {
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * Stripe's idempotency: the first result for a key (success or error) is saved and replayed for
 * the same request; the same key with different parameters is a 400 idempotency_error; a request
 * arriving while the first is still executing gets a 409. Keys are scoped to the API key.
 */
export class IdempotencyStore {
  private readonly results = new Map<string, Stored>();
  private readonly inFlight = new Map<string, string>();

  /** Returns a saved result to replay, or null if the request should execute. */
  begin(apiKey: string, key: string, fingerprint: string): Stored | null {
    const scoped = `${apiKey}\u0000${key}`;
    const saved = this.results.get(scoped) ?? null;
    const running = this.inFlight.get(scoped);
    const firstFingerprint = saved?.fingerprint ?? running;
    if (firstFingerprint !== undefined && firstFingerprint !== fingerprint) {
      throw new StripeApiError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (saved) return saved;
    if (running !== undefined) {
      throw new StripeApiError(409, {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message: 'There is currently another in-progress request using this Stripe-Idempotency-Key. Please try again later.',
      });
    }
    this.inFlight.set(scoped, fingerprint);
    return null;
  }

  finish(apiKey: string, key: string, fingerprint: string, status: number, body: unknown): void {
    const scoped = `${apiKey}\u0000${key}`;
    this.inFlight.delete(scoped);
    this.results.set(scoped, { fingerprint, status, body });
  }

  /** The saved results (not the in-flight ones), for snapshots: a restarted emulator still refuses a reused key. */
  saved(): Array<[string, Stored]> {
    return [...this.results.entries()];
  }

  restore(entries: ReadonlyArray<[string, Stored]>): void {
    this.results.clear();
    for (const [key, stored] of entries) this.results.set(key, stored);
  }

  clear(): void {
    this.results.clear();
    this.inFlight.clear();
  }
}
