import type { HttpClient, RequestOptions } from '../http.ts';
import type {
  StripeConfig,
  StripeConfigSetParams,
  StripeConfigValidateParams,
  StripeConfigValidation,
  StripePlanPrice,
  StripePlanPriceSetParams,
  StripeWebhookUrls,
} from '../types.ts';

/** The app's own Stripe account (`/api/v1/stripe/...`): by default an app uses the platform's. */
export class StripeSettings {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** The configuration (`GET /api/v1/stripe/config`): platform or own account, the mode, last 4 characters of each secret. */
  getConfig(options?: RequestOptions): Promise<StripeConfig> {
    return this.#http.request<StripeConfig>({ method: 'GET', path: '/api/v1/stripe/config' }, options);
  }

  /**
   * Saves the app's own keys (`PUT /api/v1/stripe/config`): each mode given replaces that mode's keys.
   *
   * @throws {ValidationError} a key of the wrong mode or kind (`STRIPE_KEY_MODE_MISMATCH`), or no keys for the mode the app will run in
   */
  setConfig(params: StripeConfigSetParams, options?: RequestOptions): Promise<StripeConfig> {
    return this.#http.request<StripeConfig>({ method: 'PUT', path: '/api/v1/stripe/config', body: params }, options);
  }

  /** Back to the platform's account, in test mode (`DELETE /api/v1/stripe/config`); the keys are kept as history. */
  deactivateConfig(options?: RequestOptions): Promise<StripeConfig> {
    return this.#http.request<StripeConfig>({ method: 'DELETE', path: '/api/v1/stripe/config' }, options);
  }

  /**
   * One call to Stripe with the key given, or the saved key of that mode (`POST /api/v1/stripe/config/validate`).
   *
   * @throws {ValidationError} Stripe refused the key (`STRIPE_KEY_INVALID`)
   */
  validateConfig(params: StripeConfigValidateParams, options?: RequestOptions): Promise<StripeConfigValidation> {
    return this.#http.request<StripeConfigValidation>({ method: 'POST', path: '/api/v1/stripe/config/validate', body: params }, options);
  }

  /** The webhook URL to add in the Stripe account, per mode (`GET /api/v1/stripe/webhook-urls`). */
  webhookUrls(options?: RequestOptions): Promise<StripeWebhookUrls> {
    return this.#http.request<StripeWebhookUrls>({ method: 'GET', path: '/api/v1/stripe/webhook-urls' }, options);
  }

  /** Every plan-to-price mapping of the app (`GET /api/v1/stripe/plan-prices`). */
  async listPlanPrices(options?: RequestOptions): Promise<StripePlanPrice[]> {
    return (await this.#http.request<{ data: StripePlanPrice[] }>({ method: 'GET', path: '/api/v1/stripe/plan-prices' }, options)).data;
  }

  /**
   * Maps a plan to a price in the app's own account (`PUT /api/v1/stripe/plan-prices`), checked against that account.
   *
   * @throws {AquorisBillingError} `STRIPE_PRICE_MISMATCH` (409) when the price's amount, currency or interval differ
   */
  setPlanPrice(params: StripePlanPriceSetParams, options?: RequestOptions): Promise<StripePlanPrice> {
    return this.#http.request<StripePlanPrice>({ method: 'PUT', path: '/api/v1/stripe/plan-prices', body: params }, options);
  }
}
