/**
 * The one error type of the service. Every failure a caller can see is an
 * AppError with an UPPER_SNAKE code; transports map the code to a status with
 * `httpStatusOf` and never invent their own.
 */
export const ERROR_HTTP_STATUS = {
  BAD_REQUEST: 400,
  INVALID_SIGNATURE: 400,
  UNAUTHORIZED: 401,
  PAYMENT_DECLINED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  PLAN_NOT_FOUND: 404,
  APP_NOT_FOUND: 404,
  SUBSCRIPTION_NOT_FOUND: 404,
  INVOICE_NOT_FOUND: 404,
  ADMIN_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_ERROR: 422,
  RATE_LIMITED: 429,
  REQUEST_HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  PROVIDER_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra facts for the caller, e.g. { retryAfterSeconds } for RATE_LIMITED. */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
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
};

/** The body every transport sends for an error: `{ error: { code, message } }`. */
export function toErrorBody(error: AppError): { error: { code: ErrorCode; message: string } } {
  const message = error.isClientError ? error.message : (GENERIC_MESSAGES[error.code] ?? 'Internal server error');
  return { error: { code: error.code, message } };
}

/** Any thrown value as an AppError: unknown failures become INTERNAL_ERROR. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  return new AppError('INTERNAL_ERROR', 'Internal server error', { cause: error });
}
