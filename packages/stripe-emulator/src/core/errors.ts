// Stripe's error envelope: {"error":{"type","code","message","param"}} with a matching HTTP status.
// Every failure the emulator reports goes through this class so the real stripe client maps it
// to the same StripeError subclass it would for api.stripe.com.

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error' | 'rate_limit_error' | 'authentication_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: { id: string; status: string };
}

export class StripeApiError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: StripeErrorBody, headers: Record<string, string> = {}) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  toJSON(): { error: StripeErrorBody } {
    return { error: this.body };
  }
}

export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...(param ? { param } : {}) });
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
}

/** A path id that does not exist answers 404; a body param naming a missing object answers 400. */
export function noSuch(kind: string, id: string, param = 'id'): StripeApiError {
  const status = param === 'id' ? 404 : 400;
  return new StripeApiError(status, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    param,
  });
}

export function cardDeclined(message: string, declineCode: string, extra: Partial<StripeErrorBody> = {}): StripeApiError {
  return new StripeApiError(402, {
    type: 'card_error',
    code: declineCode === 'incorrect_number' ? 'incorrect_number' : 'card_declined',
    decline_code: declineCode,
    message,
    ...extra,
  });
}

export function apiError(message = 'An unknown error occurred'): StripeApiError {
  return new StripeApiError(500, { type: 'api_error', message });
}
