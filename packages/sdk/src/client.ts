import { type CacheOptions, TtlCache } from './cache.ts';
import { AquorisBillingError } from './errors.ts';
import { HttpClient, type RequestOptions } from './http.ts';
import { Checkout } from './resources/checkout.ts';
import { Customers } from './resources/customers.ts';
import { Wallets } from './resources/wallets.ts';
import { Invoices } from './resources/invoices.ts';
import { Plans } from './resources/plans.ts';
import { Sessions } from './resources/sessions.ts';
import { StripeSettings } from './resources/stripe.ts';
import { DEFAULT_RATE_LIMIT_WAIT_MS, type RateLimitRetry } from './retry.ts';
import { type FetchLike, globalFetch, isBrowser, nodeVersion, readEnv } from './runtime.ts';
import type { Eligibility, Health } from './types.ts';
import { VERSION } from './version.ts';

export const DEFAULT_BASE_URL = 'https://payment.aquoris.ai';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;

export interface ClientOptions {
  /** The app's API key (Admin → Apps). Defaults to `AQUORIS_BILLING_API_KEY` where `process.env` exists. */
  apiKey?: string | undefined;
  /** The app's slug; sessions are created for it. Defaults to `AQUORIS_BILLING_APP_SLUG`. */
  appSlug?: string | undefined;
  /** Service origin. Defaults to `AQUORIS_BILLING_BASE_URL`, else `https://payment.aquoris.ai`. */
  baseUrl?: string | undefined;
  /** Milliseconds per attempt before it is abandoned (and retried). Default 30 000. */
  timeout?: number | undefined;
  /** Retries after the first attempt, for network errors, timeouts, 429 and 5xx. Default 3. */
  maxRetries?: number | undefined;
  /** On 429: `'wait'` (default) for `Retry-After` (else 60 s) and retry, or `'throw'` a RateLimitError at once. */
  rateLimitRetry?: RateLimitRetry | undefined;
  /** Longest 429 wait in milliseconds; a longer `Retry-After` throws RateLimitError instead. Default 60 000. */
  maxRateLimitWait?: number | undefined;
  /** In-memory eligibility cache for `customers.getSubscription`: `true` (60 s TTL), options, or `false` (default). */
  cache?: boolean | CacheOptions | undefined;
  /** A fetch implementation; defaults to the global `fetch`. */
  fetch?: FetchLike | undefined;
  /** Extra headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
  /**
   * Allow running in a browser. Don't: the API key would be shipped to every
   * visitor, who could then read any user's subscription and open billing
   * sessions on their behalf.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

function configError(message: string): AquorisBillingError {
  return new AquorisBillingError(message, { code: 'CONFIGURATION_ERROR' });
}

function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(`Invalid baseUrl "${raw}": expected an absolute URL such as ${DEFAULT_BASE_URL}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`Invalid baseUrl "${raw}": only http(s) URLs are supported`);
  }
  if (url.search || url.hash) throw configError(`Invalid baseUrl "${raw}": remove the query string or fragment`);
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  if (/\/api(\/v1)?$/.test(base)) {
    throw configError(`Invalid baseUrl "${raw}": give the service origin (e.g. ${DEFAULT_BASE_URL}); the SDK adds /api/v1`);
  }
  return base;
}

function positive(name: string, value: number, { integer = false, allowZero = false } = {}): number {
  const valid = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!valid) {
    throw configError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}, got ${value}`);
  }
  return value;
}

function sdkHeaders(extra: Record<string, string> | undefined, browser: boolean): Record<string, string> {
  const headers: Record<string, string> = { 'X-Aquoris-SDK': `billing-sdk/${VERSION}` };
  const node = nodeVersion();
  // Browsers forbid setting User-Agent; edge runtimes don't need it. X-Aquoris-SDK identifies us everywhere.
  if (!browser && node) headers['User-Agent'] = `aquoris-billing-sdk/${VERSION} node/${node}`;
  return { ...headers, ...extra };
}

/**
 * The Aquoris Billing REST v1 client, for server-side code.
 *
 * ```ts
 * const billing = new AquorisBilling({ apiKey: process.env.AQUORIS_BILLING_API_KEY, appSlug: 'vega' });
 * const { url } = await billing.sessions.create({ externalUserId: user.id });
 * ```
 */
export class AquorisBilling {
  static readonly VERSION = VERSION;

  /** Billing sessions: where you send users to subscribe and manage their plan. */
  readonly sessions: Sessions;
  /** Eligibility (with the optional cache), customer sync and access checks. */
  readonly customers: Customers;
  /** The app's active plans. */
  readonly plans: Plans;
  /** Confirming a Checkout when the user comes back from Stripe. */
  readonly checkout: Checkout;
  /** Prepaid wallets: deposits, debits, balances and history. */
  readonly wallets: Wallets;
  /** Paying an open invoice by card. */
  readonly invoices: Invoices;
  /** The app's own Stripe account: keys per mode, validation, webhook URLs, plan prices. */
  readonly stripe: StripeSettings;
  /** The service origin requests go to. */
  readonly baseUrl: string;
  /** The app this client acts for. */
  readonly appSlug: string;

  readonly #http: HttpClient;

  constructor(options: ClientOptions = {}) {
    const browser = isBrowser();
    if (browser && !options.dangerouslyAllowBrowser) {
      throw configError(
        'AquorisBilling is a server-side client and refuses to run in a browser: your API key would be sent to every ' +
          "visitor, who could then read any user's subscription and open billing sessions in their name. Call it from " +
          'server code (an API route, server action or middleware). If you understand the risk, pass ' +
          '`dangerouslyAllowBrowser: true`.',
      );
    }
    const apiKey = options.apiKey ?? readEnv('AQUORIS_BILLING_API_KEY');
    if (!apiKey) {
      throw configError('Missing apiKey: pass `new AquorisBilling({ apiKey })` or set AQUORIS_BILLING_API_KEY.');
    }
    const appSlug = options.appSlug ?? readEnv('AQUORIS_BILLING_APP_SLUG');
    if (!appSlug) {
      throw configError('Missing appSlug: pass `new AquorisBilling({ appSlug })` or set AQUORIS_BILLING_APP_SLUG.');
    }
    const rawBaseUrl = options.baseUrl ?? readEnv('AQUORIS_BILLING_BASE_URL') ?? DEFAULT_BASE_URL;
    if (!rawBaseUrl) throw configError(`Missing baseUrl: omit it for ${DEFAULT_BASE_URL}, or pass the service origin.`);
    const rateLimitRetry = options.rateLimitRetry ?? 'wait';
    if (rateLimitRetry !== 'wait' && rateLimitRetry !== 'throw') {
      throw configError(`rateLimitRetry must be 'wait' or 'throw', got ${String(rateLimitRetry)}`);
    }
    this.appSlug = appSlug;
    this.baseUrl = normalizeBaseUrl(rawBaseUrl);
    this.#http = new HttpClient({
      apiKey,
      baseUrl: this.baseUrl,
      timeout: positive('timeout', options.timeout ?? DEFAULT_TIMEOUT_MS),
      maxRetries: positive('maxRetries', options.maxRetries ?? DEFAULT_MAX_RETRIES, { integer: true, allowZero: true }),
      rateLimitRetry,
      maxRateLimitWait: positive('maxRateLimitWait', options.maxRateLimitWait ?? DEFAULT_RATE_LIMIT_WAIT_MS, {
        allowZero: true,
      }),
      fetch: options.fetch ?? globalFetch,
      headers: sdkHeaders(options.defaultHeaders, browser),
    });
    const cacheOptions = options.cache === true ? {} : options.cache || undefined;
    const cache = cacheOptions ? new TtlCache<Eligibility>(cacheOptions) : undefined;
    this.sessions = new Sessions(this.#http, appSlug);
    this.customers = new Customers(this.#http, cache);
    this.plans = new Plans(this.#http);
    this.checkout = new Checkout(this.#http, cache);
    this.wallets = new Wallets(this.#http);
    this.invoices = new Invoices(this.#http);
    this.stripe = new StripeSettings(this.#http);
  }

  /**
   * The service health (`GET /api/health`, no API key sent). Returns the body
   * for 200 `{ status: 'ok' }` and for 503 `{ status: 'degraded' }` alike.
   */
  health(options?: RequestOptions): Promise<Health> {
    return this.#http.request<Health>({ method: 'GET', path: '/api/health', auth: false, okStatuses: [503] }, options);
  }
}
