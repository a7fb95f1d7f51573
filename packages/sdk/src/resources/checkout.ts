import type { TtlCache } from '../cache.ts';
import type { HttpClient, RequestOptions } from '../http.ts';
import type { Eligibility, VerifiedCheckout } from '../types.ts';

export class Checkout {
  readonly #http: HttpClient;
  readonly #cache: TtlCache<Eligibility> | undefined;

  constructor(http: HttpClient, cache: TtlCache<Eligibility> | undefined) {
    this.#http = http;
    this.#cache = cache;
  }

  /**
   * Confirms a Checkout when the user lands on the success URL (`GET /api/v1/checkout/verify?session_id=...`):
   * records and returns the subscription it created, without waiting for Stripe's webhook. Idempotent, so
   * retried; any mix of calls and the webhook records one subscription. Forgets that user's cached eligibility.
   *
   * @throws {NotFoundError} `NOT_FOUND`: no Checkout Session with this id was created for the app
   * @throws {ConflictError} `CHECKOUT_NOT_COMPLETED`: the session is still open (not paid) or expired
   * @throws {ValidationError} `sessionId` is not a `cs_...` id
   */
  async verify(sessionId: string, options?: RequestOptions): Promise<VerifiedCheckout> {
    if (typeof sessionId !== 'string' || !/^cs_[A-Za-z0-9_]+$/.test(sessionId)) throw new TypeError('sessionId must be a Checkout Session id (cs_...)');
    const path = `/api/v1/checkout/verify?session_id=${encodeURIComponent(sessionId)}`;
    const verified = await this.#http.request<VerifiedCheckout>({ method: 'GET', path }, options);
    this.#cache?.invalidate(verified.externalUserId);
    return verified;
  }
}
