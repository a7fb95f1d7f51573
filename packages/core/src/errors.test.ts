import { describe, expect, it } from 'vitest';
import { AppError, ERROR_HTTP_STATUS, isUnavailableError, toAppError, toErrorBody, UNAVAILABLE_RETRY_AFTER_SECONDS } from './errors.ts';
import { describeIssues } from './validation.ts';

describe('AppError', () => {
  it('maps every code to one HTTP status and codes are UPPER_SNAKE', () => {
    for (const [code, status] of Object.entries(ERROR_HTTP_STATUS)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(new AppError(code as keyof typeof ERROR_HTTP_STATUS, 'x').status).toBe(status);
    }
    expect(new AppError('VALIDATION_ERROR', 'x').status).toBe(422);
    expect(new AppError('PROVIDER_ERROR', 'x').status).toBe(502);
  });

  it('hides server-side messages from the caller', () => {
    expect(toErrorBody(new AppError('VALIDATION_ERROR', 'name: too long'))).toEqual({ error: { code: 'VALIDATION_ERROR', message: 'name: too long' } });
    const internal = toAppError(new Error('connection string postgres://secret@db'));
    expect(internal.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(toErrorBody(internal))).not.toContain('secret');
    expect(toErrorBody(new AppError('PROVIDER_ERROR', 'stripe said sk_live_123 is bad')).error.message).not.toContain('sk_live');
  });

  it('carries a userMessage for people beside the message for developers, only where one was written', () => {
    const refusal = new AppError('ALREADY_SUBSCRIBED', 'The customer has a current pro subscription', { userMessage: 'You already have the Pro plan.' });
    expect(refusal.status).toBe(409);
    expect(toErrorBody(refusal)).toEqual({
      error: { code: 'ALREADY_SUBSCRIBED', message: 'The customer has a current pro subscription', userMessage: 'You already have the Pro plan.' },
    });
    expect(toErrorBody(new AppError('APP_NOT_FOUND', 'App "x" does not exist')).error).not.toHaveProperty('userMessage');
  });
});

describe('a dependency that cannot be reached', () => {
  const unavailable = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''), { code: 'ECONNREFUSED' }),
    new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'EHOSTUNREACH' })], ''),
    new Error('timeout exceeded when trying to connect'),
    new Error('Connection terminated unexpectedly'),
    new Error('Query read timeout'),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
  ];
  it.each(unavailable.map((e) => [e.message || e.constructor.name, e]))('%s is SERVICE_UNAVAILABLE (503) with a Retry-After', (_, error) => {
    expect(isUnavailableError(error)).toBe(true);
    const appError = toAppError(error);
    expect(appError.code).toBe('SERVICE_UNAVAILABLE');
    expect(appError.status).toBe(503);
    expect(appError.cause).toBe(error);
    expect(appError.details).toEqual({ retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
    expect(toErrorBody(appError).error).toEqual({ code: 'SERVICE_UNAVAILABLE', message: 'Service temporarily unavailable' });
  });

  it('other failures stay INTERNAL_ERROR: a constraint violation, a bug, a value that is not an error', () => {
    for (const error of [
      Object.assign(new Error('duplicate key'), { code: '23505' }),
      new TypeError('x is undefined'),
      'boom',
      null,
      new AggregateError([], ''),
    ]) {
      expect(isUnavailableError(error)).toBe(false);
      expect(toAppError(error).code).toBe('INTERNAL_ERROR');
    }
  });
});

describe('describeIssues', () => {
  it('reads Standard Schema issues (what tRPC passes on) the way it reads zod issues', () => {
    expect(describeIssues([{ message: 'Too big', path: ['user', { key: 'name' }] }, { message: 'Required' }])).toBe('user.name: Too big; Required');
    expect(describeIssues([{ code: 'unrecognized_keys', keys: ['a', 'b'], message: 'Unrecognized keys', path: [] }])).toBe('unknown fields a, b');
  });
});
