import { AppError, toAppError, toErrorBody } from '@aquoris/core';
import type { ErrorRequestHandler, Request, Response } from 'express';

/** Errors raised by Express's body parsers, as AppErrors with a clear message. */
function fromBodyParser(error: unknown): AppError | null {
  if (!error || typeof error !== 'object' || !('type' in error)) return null;
  switch ((error as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new AppError('VALIDATION_ERROR', 'Request body is not valid JSON');
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported request body encoding or charset');
    case 'request.aborted':
      return new AppError('VALIDATION_ERROR', 'Request body was aborted');
    default:
      return null;
  }
}

export function sendError(req: Request, res: Response, error: unknown): void {
  const appError = fromBodyParser(error) ?? toAppError(error);
  if (!appError.isClientError) {
    req.ctx?.log.error({ err: error instanceof AppError && error.cause ? error.cause : error, code: appError.code }, 'request failed');
  }
  const retryAfter = appError.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  if (res.headersSent) return;
  res.status(appError.status).json(toErrorBody(appError));
}

/** The one place errors become HTTP responses for JSON routes. */
export const jsonErrorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  sendError(req, res, error);
};
