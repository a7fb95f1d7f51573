import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { isPermanentFailure, PermanentFailure } from './jobs.ts';
import { toProviderError } from './stripe/gateway.ts';
import { silentLogger } from './logger.ts';

const stripeError = (statusCode: number) =>
  Stripe.errors.StripeError.generate({ type: statusCode === 402 ? 'card_error' : 'invalid_request_error', message: 'no', statusCode } as never);
const wrapped = (statusCode: number) => toProviderError({ log: silentLogger }, 'subscription retrieve', stripeError(statusCode));

describe('isPermanentFailure', () => {
  it('is true for a PermanentFailure, bare or as the cause of another error', () => {
    expect(isPermanentFailure(new PermanentFailure('bad input'))).toBe(true);
    expect(isPermanentFailure(new Error('outer', { cause: new PermanentFailure('inner') }))).toBe(true);
  });

  it.each([400, 402, 404])('is true for a Stripe %i, bare or wrapped by callStripe', (status) => {
    expect(isPermanentFailure(stripeError(status))).toBe(true);
    expect(isPermanentFailure(wrapped(status))).toBe(true);
  });

  it.each([401, 409, 429, 500, 503])('is false for a Stripe %i (worth another attempt)', (status) => {
    expect(isPermanentFailure(wrapped(status))).toBe(false);
  });

  it('is false for anything else', () => {
    expect(isPermanentFailure(new Error('connection reset'))).toBe(false);
    expect(isPermanentFailure(new AppError('INTERNAL_ERROR', 'database down'))).toBe(false);
    expect(isPermanentFailure(undefined)).toBe(false);
  });
});
