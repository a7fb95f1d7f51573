import Stripe from 'stripe';
import { describe, expect, it, vi } from 'vitest';
import { isPermanentFailure } from '../jobs.ts';
import { toProviderError } from './gateway.ts';

const missing = (kind: string, id: string) =>
  Stripe.errors.StripeError.generate({
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${kind}: '${id}'`,
    statusCode: 404,
  } as never);

function logSpy() {
  const error = vi.fn();
  return { log: { error } as never, error };
}

describe('an object Stripe does not know (resource_missing)', () => {
  it('is PROVIDER_OBJECT_MISSING with words for the subscriber, never "not responding", logged as an error with the id', () => {
    const { log, error } = logSpy();
    const appError = toProviderError({ log }, 'subscription retrieve', missing('subscription', 'sub_gone'));
    expect(appError.code).toBe('PROVIDER_OBJECT_MISSING');
    expect(appError.status).toBe(409);
    expect(appError.userMessage).toBe('This subscription is not known to the payment provider; an operator has been notified.');
    expect(appError.message).toContain('sub_gone');
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ objectType: 'subscription', objectId: 'sub_gone', operation: 'subscription retrieve' }),
      expect.any(String),
    );
    expect(isPermanentFailure(appError)).toBe(true); // a job about it is given up, not retried
  });

  it('names the kind in plain words (a price is the plan)', () => {
    const { log } = logSpy();
    expect(toProviderError({ log }, 'checkout session create', missing('price', 'price_x')).userMessage).toBe(
      'This plan is not known to the payment provider; an operator has been notified.',
    );
  });

  it('other Stripe failures stay PROVIDER_ERROR', () => {
    const { log } = logSpy();
    const failure = Stripe.errors.StripeError.generate({ type: 'api_error', message: 'boom', statusCode: 500 } as never);
    expect(toProviderError({ log }, 'subscription retrieve', failure).code).toBe('PROVIDER_ERROR');
  });
});
