import { isStripeError } from './stripe/gateway.ts';

/**
 * Background work as core sees it. The queue itself (BullMQ, in apps/api/src/worker) is passed in deps:
 * core never imports it.
 */

/**
 * A failure that another attempt cannot fix (a job's input is wrong, the thing it is about does not
 * exist). The worker gives such a job up at once (BullMQ's UnrecoverableError) instead of retrying it.
 */
export class PermanentFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}

/** Stripe's answers that say the request itself is wrong: sending it again gets the same answer. */
const PERMANENT_STRIPE_STATUSES = new Set([400, 402, 404]);

/**
 * Whether retrying `error` is pointless: a PermanentFailure, or a Stripe answer (wrapped or not, e.g. by
 * callStripe's PROVIDER_ERROR) that the object does not exist or that the request is invalid. Anything
 * else (network, Stripe 5xx, 409, 429, authentication, the database) is taken as transient.
 */
export function isPermanentFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && depth < 5; current = (current as { cause?: unknown })?.cause, depth++) {
    if (current instanceof PermanentFailure) return true;
    if (isStripeError(current)) return current.statusCode !== undefined && PERMANENT_STRIPE_STATUSES.has(current.statusCode);
  }
  return false;
}
