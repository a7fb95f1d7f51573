import type { TtlCache } from '../cache.ts';
import { type AccessOptions, hasAccess, hasPlan } from '../gating.ts';
import type { HttpClient, RequestOptions } from '../http.ts';
import type { Customer, CustomerUpsertParams, Eligibility, PortalSession, PortalSessionCreateParams } from '../types.ts';
import { pathSegment } from './path.ts';

export interface GetSubscriptionOptions extends RequestOptions {
  /** Skip the client's eligibility cache for this call (the answer still refreshes it). */
  fresh?: boolean | undefined;
}

export interface AccessCheckOptions extends GetSubscriptionOptions, AccessOptions {}

export class Customers {
  readonly #http: HttpClient;
  readonly #cache: TtlCache<Eligibility> | undefined;

  constructor(http: HttpClient, cache: TtlCache<Eligibility> | undefined) {
    this.#http = http;
    this.#cache = cache;
  }

  /**
   * The user's eligibility (`GET /api/v1/customers/:externalUserId/subscription`).
   * Never a 404: an unknown user is `{ base: null, addons: [] }`. Served from the
   * client's cache when `cache` is on.
   */
  async getSubscription(externalUserId: string, options: GetSubscriptionOptions = {}): Promise<Eligibility> {
    const path = `/api/v1/customers/${pathSegment('externalUserId', externalUserId)}/subscription`;
    const { fresh, signal, ...requestOptions } = options;
    const load = (loadSignal: AbortSignal | undefined) => this.#http.request<Eligibility>({ method: 'GET', path }, { ...requestOptions, signal: loadSignal });
    if (!this.#cache) return load(signal);
    return this.#cache.get(externalUserId, load, { signal, fresh });
  }

  /**
   * Creates or updates the customer (`PUT /api/v1/customers/:externalUserId`).
   * Pass `email`, `name` or both; the other field is kept. Idempotent, so retried.
   *
   * @throws {ValidationError} invalid email, name over 1024 characters, or neither given
   */
  async upsert(externalUserId: string, params: CustomerUpsertParams, options?: RequestOptions): Promise<Customer> {
    const path = `/api/v1/customers/${pathSegment('externalUserId', externalUserId)}`;
    return this.#http.request<Customer>({ method: 'PUT', path, body: params }, options);
  }

  /**
   * Opens the Stripe Customer Portal for the user (`POST /api/v1/customers/:externalUserId/portal-session`)
   * and returns `{ url }`: redirect the user's browser there. Changes made in the portal reach the service
   * through Stripe webhooks and show in `getSubscription`. Retried on 5xx/network errors (a repeat only
   * opens another portal session).
   *
   * @throws {BadRequestError} `REDIRECT_NOT_ALLOWED`: `returnUrl` is not on one of the app's allowed origins
   * @throws {NotFoundError} `CUSTOMER_NOT_FOUND`
   * @throws {ConflictError} `NO_BILLING_ACCOUNT`: the user has never started a checkout
   */
  async createPortalSession(externalUserId: string, params: PortalSessionCreateParams, options?: RequestOptions): Promise<PortalSession> {
    const path = `/api/v1/customers/${pathSegment('externalUserId', externalUserId)}/portal-session`;
    const session = await this.#http.request<PortalSession>({ method: 'POST', path, body: params }, options);
    this.#cache?.invalidate(externalUserId);
    return session;
  }

  /** `hasAccess(await getSubscription(externalUserId))`: ACTIVE or TRIALING (or PAST_DUE with `allowPastDue`). */
  async hasAccess(externalUserId: string, options: AccessCheckOptions = {}): Promise<boolean> {
    const { allowPastDue, ...rest } = options;
    return hasAccess(await this.getSubscription(externalUserId, rest), { allowPastDue });
  }

  /** `hasPlan(await getSubscription(externalUserId), slug)`: access, on that plan (or one of those plans). */
  async hasPlan(externalUserId: string, slug: string | readonly string[], options: AccessCheckOptions = {}): Promise<boolean> {
    const { allowPastDue, ...rest } = options;
    return hasPlan(await this.getSubscription(externalUserId, rest), slug, { allowPastDue });
  }

  /** Forgets the cached eligibility of one user, e.g. when they return from checkout. No-op without a cache. */
  invalidate(externalUserId: string): void {
    this.#cache?.invalidate(externalUserId);
  }

  /** Forgets every cached eligibility. No-op without a cache. */
  invalidateAll(): void {
    this.#cache?.invalidateAll();
  }
}
