import type { HttpClient, RequestOptions } from '../http.ts';
import type { Currency, Wallet, WalletDebit, WalletDebitParams, WalletDepositParams, WalletDepositSession, WalletDepositVerification } from '../types.ts';
import { pathSegment } from './path.ts';

export interface WalletGetParams {
  /** Only this currency's balance and history. */
  currency?: Currency | undefined;
  /** `nextCursor` of the previous page. */
  cursor?: string | undefined;
  /** History entries per page, 1 to 100 (default 20). */
  limit?: number | undefined;
}

/** Prepaid wallets: deposits through Stripe Checkout, debits, balances and history. */
export class Wallets {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Starts a deposit (`POST /api/v1/customers/:externalUserId/wallet/deposits`): redirect the user to the
   * returned `url`. Put `{CHECKOUT_SESSION_ID}` in `successUrl`, then call `verifyDeposit` with it.
   *
   * @throws {AquorisBillingError} 400 BAD_REQUEST for an amount outside 500..50,000 or a URL off your app domain
   * @throws {NotFoundError} no such customer in your app
   */
  async deposit(externalUserId: string, params: WalletDepositParams, options?: RequestOptions): Promise<WalletDepositSession> {
    const path = `/api/v1/customers/${pathSegment('externalUserId', externalUserId)}/wallet/deposits`;
    return this.#http.request<WalletDepositSession>({ method: 'POST', path, body: params }, options);
  }

  /** Credits a paid deposit if the webhook has not yet (`GET /api/v1/wallet/deposits/verify`). Idempotent. */
  async verifyDeposit(sessionId: string, options?: RequestOptions): Promise<WalletDepositVerification> {
    if (typeof sessionId !== 'string' || sessionId === '') throw new TypeError('sessionId must be a non-empty string');
    const path = `/api/v1/wallet/deposits/verify?session_id=${encodeURIComponent(sessionId)}`;
    return this.#http.request<WalletDepositVerification>({ method: 'GET', path }, options);
  }

  /**
   * Debits the wallet (`POST /api/v1/customers/:externalUserId/wallet/debits`), never below zero. Safe to
   * retry: the same `idempotencyKey` answers with the first result.
   *
   * @throws {InsufficientFundsError} 402: the balance is short (the message says the balance)
   * @throws {AquorisBillingError} 409 IDEMPOTENCY_KEY_REUSED: the key was used with other parameters
   */
  async debit(externalUserId: string, params: WalletDebitParams, options?: RequestOptions): Promise<WalletDebit> {
    const path = `/api/v1/customers/${pathSegment('externalUserId', externalUserId)}/wallet/debits`;
    return this.#http.request<WalletDebit>({ method: 'POST', path, body: params }, options);
  }

  /** Balances per currency and a page of history, newest first (`GET /api/v1/customers/:externalUserId/wallet`). */
  async get(externalUserId: string, params: WalletGetParams = {}, options?: RequestOptions): Promise<Wallet> {
    const query = new URLSearchParams();
    if (params.currency !== undefined) query.set('currency', params.currency);
    if (params.cursor !== undefined) query.set('cursor', params.cursor);
    if (params.limit !== undefined) query.set('limit', String(params.limit));
    const qs = query.size ? `?${query}` : '';
    return this.#http.request<Wallet>({ method: 'GET', path: `/api/v1/customers/${pathSegment('externalUserId', externalUserId)}/wallet${qs}` }, options);
  }
}
