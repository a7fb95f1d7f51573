import { AppError } from '@aquoris/core';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { toHttpAppError } from './errors.ts';

const request = (headers: Record<string, string> = {}) => ({ get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

/** What http-errors' createError(status, err, props) makes of an error. */
function httpError(status: number, message: string, props: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: status < 500, ...props });
}

describe('toHttpAppError', () => {
  it.each([
    [httpError(400, 'x', { type: 'entity.parse.failed', body: '{"a":' }), 'VALIDATION_ERROR', 'Request body is not valid JSON'],
    [httpError(400, 'x', { type: 'entity.parse.failed', body: 'null' }), 'VALIDATION_ERROR', 'Request body must be a JSON object, not null'],
    [httpError(413, 'x', { type: 'entity.too.large' }), 'PAYLOAD_TOO_LARGE', 'too large'],
    [httpError(415, 'x', { type: 'encoding.unsupported', encoding: 'zstd' }), 'UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding "zstd"'],
    [httpError(415, 'x', { type: 'charset.unsupported', charset: 'koi8-r' }), 'UNSUPPORTED_MEDIA_TYPE', 'charset "koi8-r"'],
    [httpError(400, 'x', { type: 'request.size.invalid' }), 'VALIDATION_ERROR', 'Content-Length'],
    [httpError(400, 'x', { type: 'request.aborted' }), 'VALIDATION_ERROR', 'aborted'],
  ])('maps body-parser errors by type (%#)', (error, code, message) => {
    const appError = toHttpAppError(error, request());
    expect(appError.code).toBe(code);
    expect(appError.message).toContain(message);
  });

  it('maps a decompression failure (zlib error with status 400, no type) to 422', () => {
    const zlib = Object.assign(httpError(400, 'incorrect header check'), { code: 'Z_DATA_ERROR', errno: -3 });
    const appError = toHttpAppError(zlib, request({ 'content-encoding': 'gzip' }));
    expect(appError).toMatchObject({ code: 'VALIDATION_ERROR', message: 'Request body is not valid gzip data' });
  });

  it("maps the router's URIError (status 400) to 422", () => {
    const error = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400 });
    expect(toHttpAppError(error, request())).toMatchObject({ code: 'VALIDATION_ERROR', status: 422 });
  });

  it.each([
    [400, 'BAD_REQUEST', 400],
    [403, 'FORBIDDEN', 403],
    [408, 'REQUEST_TIMEOUT', 408],
    [413, 'PAYLOAD_TOO_LARGE', 413],
    [415, 'UNSUPPORTED_MEDIA_TYPE', 415],
    [418, 'BAD_REQUEST', 400],
  ])('any other error with a 4xx status %i becomes a 4xx envelope (%s)', (status, code, httpStatus) => {
    const appError = toHttpAppError(httpError(status, 'exposed message', { type: 'something.new' }), request());
    expect(appError).toMatchObject({ code, status: httpStatus, message: 'exposed message' });
  });

  it('does not show the message of an error that is not marked exposable', () => {
    expect(toHttpAppError(httpError(400, 'internal detail', { expose: false }), request()).message).toBe('Bad request');
  });

  it('keeps 5xx statuses, unmarked errors and AppErrors as they are', () => {
    expect(toHttpAppError(httpError(503, 'x'), request()).code).toBe('INTERNAL_ERROR');
    expect(toHttpAppError(new Error('boom'), request()).code).toBe('INTERNAL_ERROR');
    expect(toHttpAppError('string', request()).code).toBe('INTERNAL_ERROR');
    const own = new AppError('PLAN_NOT_FOUND', 'nope');
    expect(toHttpAppError(own, request())).toBe(own);
  });
});
