import { AppError, toAppError, toErrorBody, type ErrorCode } from '@aquoris/core';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { TOO_DEEP_TYPE, tooDeepError } from './json-depth.ts';

/** What Express's body parsers and router throw: http-errors style, with a 4xx `status` when it is the client's fault. */
interface HttpLikeError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  body?: unknown;
  encoding?: unknown;
  charset?: unknown;
  message?: unknown;
}

/** Codes for 4xx statuses that arrive without a more specific meaning (see fromHttpError). */
const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'REQUEST_HEADERS_TOO_LARGE',
};

function statusOf(error: HttpLikeError): number | undefined {
  const status = typeof error.status === 'number' ? error.status : error.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** `null`, `1`, `"x"` and `true` are valid JSON but not a request body: say so instead of "not valid JSON". */
function notJsonObjectMessage(body: unknown): string | null {
  if (typeof body !== 'string') return null;
  try {
    const value: unknown = JSON.parse(body);
    return `Request body must be a JSON object, not ${value === null ? 'null' : typeof value}`;
  } catch {
    return null;
  }
}

/** Errors raised by Express's body parsers, as AppErrors with a clear message. */
function fromBodyParser(error: HttpLikeError, req: Request): AppError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('VALIDATION_ERROR', notJsonObjectMessage(error.body) ?? 'Request body is not valid JSON');
    case TOO_DEEP_TYPE:
      return tooDeepError();
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'encoding.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Encoding "${String(error.encoding ?? req.get('content-encoding'))}"`);
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported charset "${String(error.charset)}"; send UTF-8`);
    case 'request.aborted':
      return new AppError('VALIDATION_ERROR', 'Request body was aborted');
    case 'request.size.invalid':
      return new AppError('VALIDATION_ERROR', 'Request body size does not match Content-Length');
    default:
      return null;
  }
}

/**
 * Any other error that carries a 4xx status (http-errors, as thrown by the
 * body-parser stack, the router or a decompression stream) is the client's
 * fault and becomes a 4xx envelope; only unmarked errors are a 500.
 */
function fromHttpError(error: HttpLikeError, req: Request): AppError | null {
  const status = statusOf(error);
  if (status === undefined || status < 400 || status >= 500) return null;
  // The router could not percent-decode a path parameter (e.g. "%E0%A4%A"): like the eligibility fast path, a 422.
  if (error instanceof URIError) return new AppError('VALIDATION_ERROR', 'The URL path is not valid URL encoding (percent-encoded UTF-8)');
  const encoding = req.get('content-encoding');
  if (status === 400 && encoding && encoding.toLowerCase() !== 'identity') {
    // zlib / brotli refused the data (Z_DATA_ERROR and friends): a corrupt body, like malformed JSON.
    return new AppError('VALIDATION_ERROR', `Request body is not valid ${encoding} data`);
  }
  const code = CODE_OF_STATUS[status] ?? 'BAD_REQUEST';
  const message = error.expose === true && typeof error.message === 'string' && error.message ? error.message : 'Bad request';
  return new AppError(code, message);
}

export function toHttpAppError(error: unknown, req: Request): AppError {
  if (error instanceof AppError) return error;
  if (error && typeof error === 'object') {
    const known = fromBodyParser(error as HttpLikeError, req) ?? fromHttpError(error as HttpLikeError, req);
    if (known) return known;
  }
  return toAppError(error);
}

/** An error as the response every route sends for it: status, the headers it implies, the envelope. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The one place an AppError becomes a response (Express routes and the
 * eligibility fast path alike). Server-side failures are logged in full;
 * the caller sees only the generic envelope.
 */
export function errorReply(error: unknown, appError: AppError, log: () => Logger): ErrorReply {
  if (!appError.isClientError) {
    log().error({ err: error instanceof AppError && error.cause ? error.cause : error, code: appError.code }, 'request failed');
  }
  const headers: Record<string, string> = {};
  const retryAfter = appError.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
  const allow = appError.details?.allow;
  if (typeof allow === 'string') headers.Allow = allow;
  return { status: appError.status, headers, body: JSON.stringify(toErrorBody(appError)) };
}

export function sendError(req: Request, res: Response, error: unknown): void {
  const reply = errorReply(error, toHttpAppError(error, req), () => req.ctx.log);
  if (res.headersSent) return;
  res.status(reply.status).set(reply.headers).type('json').send(reply.body);
}

/** The one place errors become HTTP responses for JSON routes. */
export const jsonErrorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  sendError(req, res, error);
};

/**
 * The answer for a known path asked with another method: 405 with an Allow
 * header. OPTIONS gets it too: the API is server-to-server, with no CORS.
 */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req) => {
    throw new AppError('METHOD_NOT_ALLOWED', `Method ${req.method} is not allowed here; use ${allow}`, { details: { allow } });
  };
}
