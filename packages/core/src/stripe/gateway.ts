import Stripe from 'stripe';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';

/**
 * The Stripe gateway core works with: the stripe-node client, pointed at real
 * Stripe or at the local emulator by the composition root. Core never reads
 * keys or URLs itself.
 */
export type StripeClient = Stripe;

export type StripeDeps = Deps & { stripe: StripeClient };

/** The Stripe client, or a clear error when this server has no Stripe configuration. */
export function requireStripe(deps: Deps): StripeClient {
  if (!deps.stripe) {
    throw new AppError('SERVICE_UNAVAILABLE', 'Stripe is not configured on this server (set STRIPE_SECRET_KEY, or STRIPE_API_BASE for the emulator)');
  }
  return deps.stripe;
}

export function withStripe(deps: Deps): StripeDeps {
  return { ...deps, stripe: requireStripe(deps) };
}

export function isStripeError(error: unknown): error is Stripe.errors.StripeError {
  return error instanceof Stripe.errors.StripeError;
}

/** A 404 `resource_missing` from Stripe: the object does not exist (any more). */
export function isStripeResourceMissing(error: unknown): boolean {
  return isStripeError(error) && (error.code === 'resource_missing' || error.statusCode === 404);
}

/**
 * Runs one Stripe call. Failures become PROVIDER_ERROR (502, generic to the
 * caller) with the detail logged; a declined card is the caller's business
 * and becomes PAYMENT_DECLINED with Stripe's own message.
 */
export async function callStripe<T>(deps: Pick<Deps, 'log'>, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProviderError(deps, operation, error);
  }
}

export function toProviderError(deps: Pick<Deps, 'log'>, operation: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Stripe.errors.StripeCardError) {
    // Stripe writes card errors' messages for the cardholder ("Your card has insufficient funds.").
    const userMessage = `${error.message || 'Your card was declined.'} Update your payment method or try another card.`;
    return new AppError('PAYMENT_DECLINED', error.message || 'The card was declined', { cause: error, userMessage });
  }
  const detail = isStripeError(error)
    ? { type: error.type, code: error.code, statusCode: error.statusCode, requestId: error.requestId, message: error.message }
    : { message: error instanceof Error ? error.message : String(error) };
  deps.log.error({ operation, stripe: detail }, 'Stripe call failed');
  return new AppError('PROVIDER_ERROR', `Stripe ${operation} failed`, { cause: error });
}
