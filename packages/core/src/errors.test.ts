import { describe, expect, it } from 'vitest';
import { AppError, ERROR_HTTP_STATUS, toAppError, toErrorBody } from './errors.ts';

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
});
