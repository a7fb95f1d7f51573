import { createHash } from 'node:crypto';
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
 * An idempotency key for a Stripe create/update: `base` names the operation and what it is about, and a
 * hash of the parameters follows. Stripe replays the saved answer (a failure too) for a key and refuses it
 * with other parameters ("Keys for idempotent requests can only be used with the same parameters"), so a
 * request whose parameters changed, say after an operator repaired a plan's price, must get a new key.
 */
export function idempotencyKey(base: string, params: unknown): string {
  return `${base}-${createHash('sha256').update(JSON.stringify(params)).digest('base64url').slice(0, 16)}`;
}

/**
 * Runs one Stripe call. Failures become PROVIDER_ERROR (502, generic to the
 * caller) with the detail logged; a declined card is the caller's business
 * and becomes PAYMENT_DECLINED with Stripe's own message; an object Stripe
 * does not know becomes PROVIDER_OBJECT_MISSING (409) with words for a subscriber.
 */
export async function callStripe<T>(deps: Pick<Deps, 'log'>, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProviderError(deps, operation, error);
  }
}

/** Words for a subscriber, by the kind in Stripe's "No such <kind>: '<id>'". */
const OBJECT_WORDS: Record<string, string> = {
  subscription: 'subscription',
  customer: 'billing account',
  price: 'plan',
  product: 'plan',
  invoice: 'invoice',
  'checkout.session': 'checkout',
  payment_intent: 'payment',
  charge: 'payment',
};

/**
 * Stripe does not know an object we hold the id of (a restarted emulator without its state, a test-mode
 * object in live mode, something deleted in the dashboard): never "not responding", since a retry changes
 * nothing. Logged as an error with the object, for the operator.
 */
function objectMissingError(deps: Pick<Deps, 'log'>, operation: string, error: Stripe.errors.StripeError): AppError {
  const match = /No such ([\w.]+): '([^']+)'/.exec(error.message ?? '');
  const objectType = match?.[1] ?? 'object';
  const objectId = match?.[2] ?? null;
  deps.log.error(
    { operation, objectType, objectId, stripe: { code: error.code, param: error.param, requestId: error.requestId } },
    'Stripe does not know the object',
  );
  const words = OBJECT_WORDS[objectType] ?? objectType.replace(/[._]/g, ' ');
  return new AppError('PROVIDER_OBJECT_MISSING', `Stripe has no ${objectType}${objectId ? ` ${objectId}` : ''} (${operation})`, {
    cause: error,
    userMessage: `This ${words} is not known to the payment provider; an operator has been notified.`,
  });
}

export function toProviderError(deps: Pick<Deps, 'log'>, operation: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isStripeError(error) && error.code === 'resource_missing') return objectMissingError(deps, operation, error);
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
