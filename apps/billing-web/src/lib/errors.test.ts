import { describe, expect, it } from 'vitest';
import { apiError } from '../test/api.tsx';
import { describeError, GENERIC_ERROR, isCheckoutNotFound, isSessionError } from './errors.ts';

describe('describeError', () => {
  it("shows the API's userMessage as it is, whatever the code", () => {
    const error = apiError('PLAN_CHANGE_NOT_ALLOWED', 'planSlug: free is a free plan', 'To move to Free, cancel your subscription.');
    expect(describeError(error)).toBe('To move to Free, cancel your subscription.');
    expect(describeError(apiError('VALIDATION_ERROR', 'prorationDate: this preview has expired', 'This preview has expired.'))).toBe(
      'This preview has expired.',
    );
  });

  it('never shows the developer message: without a userMessage it says the kind of failure, or a generic line', () => {
    expect(describeError(apiError('VALIDATION_ERROR', 'planSlug: Too big'))).toBe('That request was not valid. Reload the page and try again.');
    expect(describeError(apiError('PAYMENT_DECLINED', 'card_declined'))).toBe('Your card was declined. Update your payment method or try another card.');
    expect(describeError(apiError('RATE_LIMITED', 'Rate limit exceeded'))).toContain('Too many attempts');
    for (const code of ['SUBSCRIPTION_MANAGED_BY_APP', 'NO_BILLING_ACCOUNT', 'SOMETHING_NEW']) {
      expect(describeError(apiError(code, 'The customer cus_123 has no Stripe customer'))).toBe(GENERIC_ERROR);
    }
    expect(describeError(apiError('NO_BILLING_ACCOUNT', 'x', '   '))).toBe(GENERIC_ERROR);
  });

  it('says the service is unreachable when the failure carries no API code (a network error)', () => {
    expect(describeError(new Error('Failed to fetch'))).toContain("couldn't reach the billing service");
    expect(describeError(undefined)).toContain("couldn't reach the billing service");
  });
});

describe('error kinds', () => {
  it('tells a lost session and an unknown checkout from other errors by their code', () => {
    expect(isSessionError(apiError('UNAUTHORIZED'))).toBe(true);
    expect(isSessionError(apiError('NOT_FOUND'))).toBe(false);
    expect(isCheckoutNotFound(apiError('NOT_FOUND'))).toBe(true);
    expect(isCheckoutNotFound(apiError('VALIDATION_ERROR'))).toBe(true);
    expect(isCheckoutNotFound(apiError('PROVIDER_ERROR'))).toBe(false);
  });
});
