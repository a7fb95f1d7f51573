export { AquorisBilling, type ClientOptions, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './client.ts';
export type { CacheOptions } from './cache.ts';
export {
  AquorisBillingError,
  type AquorisBillingErrorOptions,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  type ErrorCode,
  InternalServerError,
  InsufficientFundsError,
  NotFoundError,
  ProviderError,
  RateLimitError,
  RequestAbortedError,
  TimeoutError,
  ValidationError,
} from './errors.ts';
export { type AccessOptions, endsAt, hasAccess, hasPlan, willRenew } from './gating.ts';
export type { RequestOptions } from './http.ts';
export type { AccessCheckOptions, GetSubscriptionOptions } from './resources/customers.ts';
export type { WalletGetParams } from './resources/wallets.ts';
export type { RateLimitRetry } from './retry.ts';
export type { FetchInit, FetchLike, ResponseLike } from './runtime.ts';
export * from './types.ts';
export { VERSION } from './version.ts';
export * from './admin.ts';
