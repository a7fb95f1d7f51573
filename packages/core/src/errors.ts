/**
 * The one error type of the service. Every failure a caller can see is an
 * AppError with an UPPER_SNAKE code; transports map the code to a status with
 * `httpStatusOf` and never invent their own.
 */
export const ERROR_HTTP_STATUS = {
  BAD_REQUEST: 400,
  /** A Stripe key or signing secret whose prefix does not fit its kind or mode (sk_test_ for test, whsec_, ...). */
  STRIPE_KEY_MODE_MISMATCH: 400,
  INVALID_SIGNATURE: 400,
  /** A success, cancel or return URL outside the app's allowed origins (return-url.ts). */
  REDIRECT_NOT_ALLOWED: 400,
  UNAUTHORIZED: 401,
  PAYMENT_DECLINED: 402,
  /** A wallet debit (or an operator's take-out) larger than the wallet's balance; the message says the balance. */
  INSUFFICIENT_FUNDS: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  PLAN_NOT_FOUND: 404,
  APP_NOT_FOUND: 404,
  SUBSCRIPTION_NOT_FOUND: 404,
  INVOICE_NOT_FOUND: 404,
  ADMIN_NOT_FOUND: 404,
  STRIPE_EVENT_NOT_FOUND: 404,
  OPERATOR_TOKEN_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  // 409: the request is valid but the state of what it names refuses it. One code per situation.
  /** A 409 from the HTTP stack with no more specific meaning; core never throws it. */
  APP_ALREADY_EXISTS: 409,
  PLAN_ALREADY_EXISTS: 409,
  ADMIN_ALREADY_EXISTS: 409,
  /** An admin cannot deactivate itself (there must always be someone left to sign in). */
  ADMIN_SELF_DEACTIVATION: 409,
  STRIPE_PRICE_MISMATCH: 409,
  /** The app uses its own Stripe account but has no active keys for its current mode. */
  STRIPE_NOT_CONFIGURED: 409,
  ALREADY_SUBSCRIBED: 409,
  SUBSCRIPTION_MANAGED_BY_APP: 409,
  PLAN_NOT_PURCHASABLE: 409,
  PLAN_INTERVAL_UNAVAILABLE: 422,
  PLAN_CHANGE_NOT_ALLOWED: 409,
  NO_BILLING_ACCOUNT: 409,
  /** GET /checkout/verify on a Checkout Session the customer has not paid yet. */
  CHECKOUT_NOT_COMPLETED: 409,
  INVOICE_NOT_PAID: 409,
  /** A payment intent asked for an invoice that is paid already. */
  INVOICE_ALREADY_PAID: 409,
  /** A payment intent asked for a voided invoice: it is not owed any more. */
  INVOICE_VOID: 409,
  /** A payment intent asked for an invoice that is not open (a draft, an uncollectible one) or has nothing to collect through one. */
  INVOICE_NOT_PAYABLE: 409,
  INVOICE_ALREADY_REFUNDED: 409,
  NO_CAPTURED_PAYMENT: 409,
  /** A wallet deposit refunded already. */
  DEPOSIT_ALREADY_REFUNDED: 409,
  /** Stripe answered that an object we hold its id of does not exist (resource_missing): our record and Stripe's disagree. */
  PROVIDER_OBJECT_MISSING: 409,
  /** An operator action on a subscription that has ended (canceled or expired). */
  SUBSCRIPTION_ENDED: 409,
  SUBSCRIPTION_ALREADY_CANCELING: 409,
  SUBSCRIPTION_NOT_CANCELING: 409,
  /** An operator's retry of a Stripe event that is not FAILED, or is malformed and can never be applied. */
  STRIPE_EVENT_NOT_RETRYABLE: 409,
  OPERATOR_TOKEN_ALREADY_REVOKED: 409,
  /** An idempotency key sent again with different parameters. */
  IDEMPOTENCY_KEY_REUSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_ERROR: 422,
  /** Stripe refused the keys given to validate (unknown, revoked or expired). */
  STRIPE_KEY_INVALID: 422,
  RATE_LIMITED: 429,
  REQUEST_HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  PROVIDER_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  /** A Dashboard figure took longer than its server timeout (10 s); its card shows "--" with a retry. */
  METRIC_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra facts for the caller, e.g. { retryAfterSeconds } for RATE_LIMITED. */
  details?: Record<string, unknown>;
  /**
   * A sentence safe to show a subscriber (no ids, field names or operator jargon), when the
   * failure is one a person can act on. `message` is always for developers and operators.
   */
  userMessage?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly userMessage: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.userMessage = options.userMessage;
  }

  get status(): number {
    return httpStatusOf(this.code);
  }

  /** True for errors whose message is safe to show the caller (4xx). */
  get isClientError(): boolean {
    return this.status < 500;
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_HTTP_STATUS[code];
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Generic words for server-side failures: the full error goes to the log, never to the caller. */
export const GENERIC_MESSAGES: Partial<Record<ErrorCode, string>> = {
  INTERNAL_ERROR: 'Internal server error',
  PROVIDER_ERROR: 'Payment provider error, retry with backoff',
  SERVICE_UNAVAILABLE: 'Service temporarily unavailable',
  METRIC_TIMEOUT: 'This figure took too long to compute; retry',
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; userMessage?: string };
}

/** What a caller may see of an error: its own message for 4xx, generic words for 5xx. */
export function publicMessageOf(error: AppError): string {
  return error.isClientError ? error.message : (GENERIC_MESSAGES[error.code] ?? 'Internal server error');
}

/** The body every transport sends for an error: `{ error: { code, message } }`, plus `userMessage` where the error has one. */
export function toErrorBody(error: AppError): ErrorBody {
  const body: ErrorBody['error'] = { code: error.code, message: publicMessageOf(error) };
  if (error.userMessage !== undefined) body.userMessage = error.userMessage;
  return { error: body };
}

/** Seconds a caller is told to wait (Retry-After) when a dependency is unavailable: about one reconnect attempt. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Socket-level failures: the server is down, unreachable or went away mid-request. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs that mean "not now" rather than "wrong": shutting down, starting up, too many connections, a timeout. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '25P03']);
/** What node-postgres says when a connection cannot be had or is lost, and when a query or an acquire times out. */
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable|the database system is (starting up|shutting down)|Connection is closed/i;

/**
 * Whether `error` says a dependency (PostgreSQL, above all) is unreachable,
 * frozen or restarting, rather than that the request was wrong: matched by
 * the codes and words node-postgres and Node's sockets use, so core needs no
 * driver import. SQLSTATE class 08 is "connection exception".
 */
export function isUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  // Node's dual-stack connect fails with an AggregateError of one error per address.
  return Array.isArray(errors) && errors.length > 0 && errors.every(isUnavailableError);
}

/**
 * Any thrown value as an AppError: a dependency that cannot be reached becomes
 * SERVICE_UNAVAILABLE (503, with a Retry-After), anything else unknown
 * INTERNAL_ERROR. The one place failures are classified, for every transport.
 */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (isUnavailableError(error)) {
    return new AppError('SERVICE_UNAVAILABLE', 'A dependency is unavailable', {
      cause: error,
      details: { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
    });
  }
  return new AppError('INTERNAL_ERROR', 'Internal server error', { cause: error });
}
