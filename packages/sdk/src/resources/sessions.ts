import type { HttpClient, RequestOptions } from '../http.ts';
import type { Session, SessionCreateParams } from '../types.ts';

export class Sessions {
  readonly #http: HttpClient;
  readonly #appSlug: string;

  constructor(http: HttpClient, appSlug: string) {
    this.#http = http;
    this.#appSlug = appSlug;
  }

  /**
   * Creates a billing session (`POST /api/v1/sessions`) for the client's app and
   * returns `{ url }`: redirect the user's browser there. The URL's token is
   * valid for 15 minutes. Retried on 5xx/network errors: creating a session only
   * signs a token and upserts the customer, so a repeat is harmless.
   *
   * @throws {AuthenticationError} bad API key, or the key is not the `appSlug` app's
   * @throws {ValidationError} invalid body
   * @throws {BadRequestError} `REDIRECT_NOT_ALLOWED`: `returnUrl` is not on one of the app's allowed origins
   * @throws {NotFoundError} `PLAN_NOT_FOUND` for an unknown `planSlug`
   */
  create(params: SessionCreateParams, options?: RequestOptions): Promise<Session> {
    return this.#http.request<Session>({ method: 'POST', path: '/api/v1/sessions', body: { ...params, appSlug: this.#appSlug } }, options);
  }
}
