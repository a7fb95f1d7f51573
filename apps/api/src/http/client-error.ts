import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, toErrorBody, type ErrorCode } from '@aquoris/core';
import { requestIdFor, SECURITY_HEADERS } from './request-context.ts';

/** Node's HTTP parser failures, by error code, as the error codes of the envelope. */
const PARSER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: { code: 'REQUEST_HEADERS_TOO_LARGE', message: 'Request URL or headers are too large' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { code: 'PAYLOAD_TOO_LARGE', message: 'Request chunk extensions are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'REQUEST_TIMEOUT', message: 'Request was not received in time' },
};

/**
 * The server's 'clientError' handler: a request Node's parser refused (a URL or
 * headers over the header limit, a malformed request line) never reaches
 * Express, and Node would answer with a bare status line. Answer with the
 * same JSON envelope as every other error instead, then close the connection
 * (the parser's state is lost, so it cannot be reused).
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  // Like Node's default: nothing to answer on a reset socket, or when a response is already under way on it.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const known = (error.code && PARSER_ERRORS[error.code]) || { code: 'BAD_REQUEST' as const, message: 'Malformed HTTP request' };
  const appError = new AppError(known.code, known.message);
  const body = JSON.stringify(toErrorBody(appError));
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Request-Id': requestIdFor(undefined),
    Connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? 'Error'}\r\n${head}\r\n${body}`);
}
