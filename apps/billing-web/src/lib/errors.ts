import { isTimeout } from './network.ts';

/** The AppError code the API put in a tRPC error's `data.appCode` (see apps/api/src/trpc/init.ts), if any. */
export function appCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const code = (data as { appCode?: unknown }).appCode;
  return typeof code === 'string' ? code : undefined;
}

/** The session cookie is missing or expired: show the "how to get back" page instead of an error. */
export function isSessionError(error: unknown): boolean {
  return appCodeOf(error) === 'UNAUTHORIZED';
}

/**
 * The checkout the confirmation page was given is none of this subscriber's:
 * unknown or another subscriber's (NOT_FOUND), or not even a possible id
 * (VALIDATION_ERROR: the only input is the id). Waiting would never end well.
 */
export function isCheckoutNotFound(error: unknown): boolean {
  const code = appCodeOf(error);
  return code === 'NOT_FOUND' || code === 'VALIDATION_ERROR';
}

/** The sentence the API wrote for a subscriber (`data.userMessage`, apps/api/src/trpc/init.ts), if it sent one. */
export function userMessageOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const message = (data as { userMessage?: unknown }).userMessage;
  return typeof message === 'string' && message.trim() ? message : undefined;
}

/** What to say when the API gave no sentence for a person: by the kind of failure, never the developer's message. */
const FALLBACKS: Record<string, string> = {
  PLAN_NOT_FOUND: "That plan isn't available any more. Please choose another plan.",
  PROVIDER_ERROR: 'Our payment provider is not responding right now. Please try again in a minute.',
  SERVICE_UNAVAILABLE: 'Our payment provider is not responding right now. Please try again in a minute.',
  PROVIDER_OBJECT_MISSING: 'This is not known to the payment provider; an operator has been notified.',
  RATE_LIMITED: 'Too many attempts in a short time. Please wait a moment and try again.',
  PAYMENT_DECLINED: 'Your card was declined. Update your payment method or try another card.',
  INTERNAL_ERROR: 'Something went wrong on our side. Nothing was changed. Please try again.',
  VALIDATION_ERROR: 'That request was not valid. Reload the page and try again.',
};

/** The generic sentence for any other refusal (a 409 whose state changed under the page, most often). */
export const GENERIC_ERROR = 'Something went wrong. Reload the page and try again.';

/**
 * A sentence for a person: the API's `userMessage` when it wrote one (it does for every refusal a
 * subscriber can act on), else a generic, honest line for the kind of failure. The developer
 * `message` is never shown: it names fields and ids.
 */
export function describeError(error: unknown): string {
  const code = appCodeOf(error);
  if (code === undefined && isTimeout(error)) return 'The billing service is taking too long to answer. Check your connection and try again.';
  if (code === undefined) return "We couldn't reach the billing service. Check your connection and try again.";
  return userMessageOf(error) ?? FALLBACKS[code] ?? GENERIC_ERROR;
}
