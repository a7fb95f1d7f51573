import { describe, expect, it } from 'vitest';
import {
  AquorisBillingError,
  AuthenticationError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  ProviderError,
  RateLimitError,
  RequestAbortedError,
  TimeoutError,
  ValidationError,
  errorFromResponse,
} from './errors.ts';

const KIND = Symbol.for('@aquoris/billing-sdk.error-kind');

describe('error classes', () => {
  it('carry name, code, status, requestId and cause', () => {
    const cause = new Error('root');
    const error = new NotFoundError('Plan not found', { code: 'PLAN_NOT_FOUND', status: 404, requestId: 'req_1', cause });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(AquorisBillingError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'NotFoundError', code: 'PLAN_NOT_FOUND', status: 404, requestId: 'req_1', message: 'Plan not found', cause });
    expect(String(error)).toBe('NotFoundError: Plan not found');
    expect(error.stack).toContain('NotFoundError');
  });

  it('subclasses do not match each other', () => {
    const auth = new AuthenticationError('x', { code: 'UNAUTHORIZED', status: 401 });
    expect(auth).not.toBeInstanceOf(ValidationError);
    expect(new TimeoutError('t', { code: 'TIMEOUT' })).toBeInstanceOf(ConnectionError);
    expect(new ConnectionError('c', { code: 'CONNECTION_ERROR' })).not.toBeInstanceOf(TimeoutError);
    expect(new Error('plain')).not.toBeInstanceOf(AquorisBillingError);
    expect(null).not.toBeInstanceOf(AquorisBillingError);
  });

  it('instanceof works across two copies of the package (ESM + CJS loaded together)', () => {
    // What a second copy of the classes looks like: same brands, different constructors.
    class OtherBase extends Error {
      static readonly [KIND]: string = 'AquorisBillingError';
    }
    class OtherRateLimit extends OtherBase {
      static override readonly [KIND]: string = 'RateLimitError';
    }
    const foreign = new OtherRateLimit('x');
    expect(foreign).toBeInstanceOf(RateLimitError);
    expect(foreign).toBeInstanceOf(AquorisBillingError);
    expect(foreign).not.toBeInstanceOf(AuthenticationError);
  });
});

describe('errorFromResponse', () => {
  it.each([
    [401, AuthenticationError, 'UNAUTHORIZED'],
    [404, NotFoundError, 'NOT_FOUND'],
    [422, ValidationError, 'VALIDATION_ERROR'],
    [429, RateLimitError, 'RATE_LIMITED'],
    [500, InternalServerError, 'INTERNAL_ERROR'],
    [502, ProviderError, 'PROVIDER_ERROR'],
    [503, InternalServerError, 'SERVICE_UNAVAILABLE'],
    [504, InternalServerError, 'HTTP_504'],
    [400, AquorisBillingError, 'HTTP_400'],
  ])('%i → %o with a fallback code when the body has none', (status, ErrorClass, code) => {
    const error = errorFromResponse({ status, body: undefined, requestId: 'r' });
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ code, status, requestId: 'r' });
  });

  it('prefers the body code and message, and keeps retryAfter on 429', () => {
    const error = errorFromResponse({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'Too many requests' } },
      requestId: undefined,
      retryAfter: 30,
    });
    expect(error).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many requests', retryAfter: 30 });
  });

  it('ignores a malformed envelope', () => {
    expect(errorFromResponse({ status: 422, body: { error: 'nope' }, requestId: undefined })).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'Request failed with status 422',
    });
    expect(errorFromResponse({ status: 422, body: { error: { code: 5 } }, requestId: undefined }).code).toBe('VALIDATION_ERROR');
  });

  it('RequestAbortedError is distinct from timeouts', () => {
    expect(new RequestAbortedError('a', { code: 'ABORTED' })).not.toBeInstanceOf(ConnectionError);
  });
});
