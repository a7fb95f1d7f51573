import { AquorisBillingError } from './errors.ts';
import { HttpClient, type RequestOptions } from './http.ts';
import { DEFAULT_RATE_LIMIT_WAIT_MS } from './retry.ts';
import { type FetchLike, globalFetch, readEnv } from './runtime.ts';
import type { components, operations } from './generated/openapi.ts';
import { VERSION } from './version.ts';

type Schemas = components['schemas'];
type QueryOf<Operation extends keyof operations> = operations[Operation] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** A page of `GET /api/v1/admin/subscriptions`. */
export type OperatorSubscriptionPage = Schemas['OperatorSubscriptionPage'];
export type OperatorSubscription = Schemas['OperatorSubscription'];
/** A page of `GET /api/v1/admin/transactions`: invoices, payments and refunds in one list. */
export type TransactionPage = Schemas['TransactionPage'];
export type Transaction = TransactionPage['transactions'][number];
export type OperatorAppList = Schemas['OperatorAppList'];
export type OperatorStats = Schemas['OperatorStats'];
export type OperatorSubscriptionsParams = QueryOf<'listAllSubscriptions'>;
export type OperatorTransactionsParams = QueryOf<'listAllTransactions'>;
export type OperatorStatsParams = QueryOf<'getOperatorStats'>;

export interface AdminClientOptions {
  /** An operator API token (`aqb_op_...`, Admin → API tokens). Defaults to `AQUORIS_BILLING_OPERATOR_TOKEN`. */
  token?: string | undefined;
  /** Service origin. Defaults to `AQUORIS_BILLING_BASE_URL`, else `https://payment.aquoris.ai`. */
  baseUrl?: string | undefined;
  timeout?: number | undefined;
  maxRetries?: number | undefined;
  fetch?: FetchLike | undefined;
}

function query(params: object | undefined): string {
  const entries = Object.entries(params ?? {}).filter(([, value]) => value !== undefined && value !== null);
  return entries.length ? `?${new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString()}` : '';
}

/** Walks every page of a keyset-paged list, from newest to oldest. */
async function* pages<P extends { cursor?: string | undefined }, R extends { nextCursor: string | null }>(
  fetchPage: (params: P) => Promise<R>,
  params: P,
): AsyncGenerator<R> {
  let cursor = params.cursor;
  do {
    const page = await fetchPage({ ...params, ...(cursor ? { cursor } : {}) });
    yield page;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/**
 * The operator client for the cross-app `/api/v1/admin` routes, with an operator API token. Server-side only.
 *
 * ```ts
 * const admin = new AquorisAdmin({ token: process.env.AQUORIS_BILLING_OPERATOR_TOKEN });
 * for await (const page of admin.transactions.pages({ app: 'vega', kind: 'refund' })) console.log(page.transactions);
 * ```
 */
export class AquorisAdmin {
  readonly #http: HttpClient;

  constructor(options: AdminClientOptions = {}) {
    const token = options.token ?? readEnv('AQUORIS_BILLING_OPERATOR_TOKEN');
    if (!token)
      throw new AquorisBillingError('Missing token: pass `new AquorisAdmin({ token })` or set AQUORIS_BILLING_OPERATOR_TOKEN.', {
        code: 'CONFIGURATION_ERROR',
      });
    const baseUrl = (options.baseUrl ?? readEnv('AQUORIS_BILLING_BASE_URL') ?? 'https://payment.aquoris.ai').replace(/\/+$/, '');
    this.#http = new HttpClient({
      apiKey: token,
      baseUrl,
      timeout: options.timeout ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      rateLimitRetry: 'wait',
      maxRateLimitWait: DEFAULT_RATE_LIMIT_WAIT_MS,
      fetch: options.fetch ?? globalFetch,
      headers: { 'X-Aquoris-SDK': `billing-sdk/${VERSION}` },
    });
  }

  readonly subscriptions = {
    /** One page of every app's subscriptions, newest first; pass `nextCursor` back as `cursor`. */
    list: (params?: OperatorSubscriptionsParams, options?: RequestOptions) =>
      this.#http.request<OperatorSubscriptionPage>({ method: 'GET', path: `/api/v1/admin/subscriptions${query(params)}` }, options),
    /** Every page in turn. */
    pages: (params: OperatorSubscriptionsParams = {}, options?: RequestOptions) => pages((p) => this.subscriptions.list(p, options), params),
    /** Cancels at period end (a READ_WRITE token). */
    cancel: (subscriptionId: string, options?: RequestOptions) =>
      this.#http.request<OperatorSubscription>({ method: 'POST', path: `/api/v1/admin/subscriptions/${encodeURIComponent(subscriptionId)}/cancel` }, options),
  };

  readonly transactions = {
    /** One page of every app's invoices, payments and refunds, newest first. */
    list: (params?: OperatorTransactionsParams, options?: RequestOptions) =>
      this.#http.request<TransactionPage>({ method: 'GET', path: `/api/v1/admin/transactions${query(params)}` }, options),
    pages: (params: OperatorTransactionsParams = {}, options?: RequestOptions) => pages((p) => this.transactions.list(p, options), params),
  };

  readonly apps = {
    /** Every app with its payment configuration status. */
    list: (options?: RequestOptions) => this.#http.request<OperatorAppList>({ method: 'GET', path: '/api/v1/admin/apps' }, options),
  };

  readonly stats = {
    /** The Dashboard's MRR, active subscriptions, churn and revenue, for every app or one. */
    get: (params?: OperatorStatsParams, options?: RequestOptions) =>
      this.#http.request<OperatorStats>({ method: 'GET', path: `/api/v1/admin/stats${query(params)}` }, options),
  };
}
