/**
 * One error class per failure a caller handles differently. Every error the SDK
 * throws is an `AquorisBillingError` carrying `code`, `status` and `requestId`.
 *
 * `instanceof` also works across the ESM and CJS copies of this package (the
 * "dual package hazard"): each class carries a brand under a global symbol and
 * `Symbol.hasInstance` compares brands when the prototype check fails.
 */

import type { components } from './generated/openapi.ts';

/** Every code the API documents (the contract's ErrorCode enum, generated), plus the SDK's client-side ones. Unknown server codes pass through as strings. */
export type ErrorCode =
  components['schemas']['ErrorCode'] | 'CONNECTION_ERROR' | 'TIMEOUT' | 'ABORTED' | 'INVALID_RESPONSE' | 'CONFIGURATION_ERROR' | (string & {});

export interface AquorisBillingErrorOptions {
  code: ErrorCode;
  /** HTTP status of the response; undefined when no response arrived. */
  status?: number | undefined;
  /** The `X-Request-Id` response header: quote it when reporting a problem. */
  requestId?: string | undefined;
  cause?: unknown;
}

const KIND: unique symbol = Symbol.for('@aquoris/billing-sdk.error-kind') as never;

type Branded = { readonly [KIND]?: string };

function kindOf(value: unknown): string | undefined {
  return typeof value === 'function' && Object.hasOwn(value, KIND) ? (value as Branded)[KIND] : undefined;
}

export class AquorisBillingError extends Error {
  static readonly [KIND]: string = 'AquorisBillingError';

  override name = 'AquorisBillingError';
  readonly code: ErrorCode;
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, options: AquorisBillingErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.requestId = options.requestId;
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, instance)) return true;
    const kind = kindOf(this);
    if (kind === undefined || instance === null || typeof instance !== 'object') return false;
    for (let proto = Object.getPrototypeOf(instance); proto; proto = Object.getPrototypeOf(proto)) {
      if (kindOf((proto as { constructor?: unknown }).constructor) === kind) return true;
    }
    return false;
  }
}

/** 400, e.g. `REDIRECT_NOT_ALLOWED`: a success, cancel or return URL is not on the app's allowed origins (the message names the field). */
export class BadRequestError extends AquorisBillingError {
  static override readonly [KIND]: string = 'BadRequestError';
  override name = 'BadRequestError';
}

/** 409, e.g. `NO_BILLING_ACCOUNT` or `CHECKOUT_NOT_COMPLETED`: the request is valid but the state does not allow it yet. */
export class ConflictError extends AquorisBillingError {
  static override readonly [KIND]: string = 'ConflictError';
  override name = 'ConflictError';
}

/** 401 `UNAUTHORIZED`: the API key is missing or invalid, or `appSlug` is not the key's app. */
export class AuthenticationError extends AquorisBillingError {
  static override readonly [KIND]: string = 'AuthenticationError';
  override name = 'AuthenticationError';
}

/** 402 `INSUFFICIENT_FUNDS`: a wallet debit larger than the balance (the message says the balance). Never retried. */
export class InsufficientFundsError extends AquorisBillingError {
  static override readonly [KIND]: string = 'InsufficientFundsError';
  override name = 'InsufficientFundsError';
}

/** 404 `CUSTOMER_NOT_FOUND`, `PLAN_NOT_FOUND` or `APP_NOT_FOUND`. */
export class NotFoundError extends AquorisBillingError {
  static override readonly [KIND]: string = 'NotFoundError';
  override name = 'NotFoundError';
}

/** 422 `VALIDATION_ERROR`: the request body or a parameter is invalid (the message says which). */
export class ValidationError extends AquorisBillingError {
  static override readonly [KIND]: string = 'ValidationError';
  override name = 'ValidationError';
}

/** 429 `RATE_LIMITED`: thrown when retrying is off or the wait would be too long. */
export class RateLimitError extends AquorisBillingError {
  static override readonly [KIND]: string = 'RateLimitError';
  override name = 'RateLimitError';
  /** Seconds the server asked to wait (`Retry-After`), if it said. */
  readonly retryAfter: number | undefined;

  constructor(message: string, options: AquorisBillingErrorOptions & { retryAfter?: number | undefined }) {
    super(message, options);
    this.retryAfter = options.retryAfter;
  }
}

/** 500 `INTERNAL_ERROR`, and any other 5xx except 502. Retried before it is thrown. */
export class InternalServerError extends AquorisBillingError {
  static override readonly [KIND]: string = 'InternalServerError';
  override name = 'InternalServerError';
}

/** 502 `PROVIDER_ERROR`: the payment provider failed. Retried before it is thrown. */
export class ProviderError extends AquorisBillingError {
  static override readonly [KIND]: string = 'ProviderError';
  override name = 'ProviderError';
}

/** `CONNECTION_ERROR`: no response (DNS, refused, reset). `cause` holds the fetch error. Retried. */
export class ConnectionError extends AquorisBillingError {
  static override readonly [KIND]: string = 'ConnectionError';
  override name = 'ConnectionError';
}

/** `TIMEOUT`: an attempt took longer than `timeout`. Retried like a connection error. */
export class TimeoutError extends ConnectionError {
  static override readonly [KIND]: string = 'TimeoutError';
  override name = 'TimeoutError';
}

/** `ABORTED`: your `signal` aborted the call; `cause` is the signal's reason. Never retried. */
export class RequestAbortedError extends AquorisBillingError {
  static override readonly [KIND]: string = 'RequestAbortedError';
  override name = 'RequestAbortedError';
}

export function abortedError(signal: AbortSignal): RequestAbortedError {
  return new RequestAbortedError('The request was aborted', { code: 'ABORTED', cause: signal.reason });
}

const DEFAULT_CODES: Record<number, ErrorCode> = {
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
  502: 'PROVIDER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export interface HttpErrorInput {
  status: number;
  body: unknown;
  requestId: string | undefined;
  retryAfter?: number | undefined;
}

function errorBodyOf(body: unknown): { code?: string; message?: string } {
  if (body === null || typeof body !== 'object' || !('error' in body)) return {};
  const error = (body as { error: unknown }).error;
  if (error === null || typeof error !== 'object') return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

/** The error class for an HTTP error response, from the `{ error: { code, message } }` body. */
export function errorFromResponse({ status, body, requestId, retryAfter }: HttpErrorInput): AquorisBillingError {
  const parsed = errorBodyOf(body);
  const code = parsed.code ?? DEFAULT_CODES[status] ?? `HTTP_${status}`;
  const message = parsed.message ?? `Request failed with status ${status}`;
  const options: AquorisBillingErrorOptions = { code, status, requestId };
  if (status === 400) return new BadRequestError(message, options);
  if (status === 401) return new AuthenticationError(message, options);
  if (status === 409) return new ConflictError(message, options);
  if (status === 402) return new InsufficientFundsError(message, options);
  if (status === 404) return new NotFoundError(message, options);
  if (status === 422) return new ValidationError(message, options);
  if (status === 429) return new RateLimitError(message, { ...options, retryAfter });
  if (status === 502) return new ProviderError(message, options);
  if (status >= 500) return new InternalServerError(message, options);
  return new AquorisBillingError(message, options);
}
