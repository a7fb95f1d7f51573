import { describe, expect, it } from 'vitest';
import { AppError, ERROR_HTTP_STATUS, toAppError, toErrorBody } from './errors.ts';
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

describe('describeIssues', () => {
  it('reads Standard Schema issues (what tRPC passes on) the way it reads zod issues', () => {
    expect(describeIssues([{ message: 'Too big', path: ['user', { key: 'name' }] }, { message: 'Required' }])).toBe('user.name: Too big; Required');
    expect(describeIssues([{ code: 'unrecognized_keys', keys: ['a', 'b'], message: 'Unrecognized keys', path: [] }])).toBe('unknown fields a, b');
  });
});
