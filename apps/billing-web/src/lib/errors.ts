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

/**
 * A sentence for a person. Client errors carry the server's own message
 * (written for subscribers); anything else becomes a generic, honest line.
 */
export function describeError(error: unknown): string {
  const code = appCodeOf(error);
  const message = error instanceof Error ? error.message : '';
  switch (code) {
    case undefined:
      return "We couldn't reach the billing service. Check your connection and try again.";
    case 'PLAN_NOT_FOUND':
      return "That plan isn't available any more. Please choose another plan.";
    case 'CONFLICT':
      return message && message !== 'Conflict' ? message : 'Your subscription changed in the meantime. Reload the page and try again.';
    case 'PROVIDER_ERROR':
    case 'SERVICE_UNAVAILABLE':
      return 'Our payment provider is not responding right now. Please try again in a minute.';
    case 'RATE_LIMITED':
      return 'Too many attempts in a short time. Please wait a moment and try again.';
    case 'VALIDATION_ERROR': {
      // Core prefixes the field ("prorationDate: this preview has expired"); the sentence is for people.
      const sentence = message.replace(/^[A-Za-z.]+: /, '');
      return sentence
        ? sentence.charAt(0).toUpperCase() + sentence.slice(1) + (/[.!?]$/.test(sentence) ? '' : '.')
        : 'That request was not valid. Reload the page and try again.';
    }
    case 'PAYMENT_DECLINED':
      return `Your card was declined${message && !/declined/i.test(message) ? `: ${message}` : '.'} Update your payment method or try another card.`;
    case 'INTERNAL_ERROR':
      return 'Something went wrong on our side. Nothing was changed. Please try again.';
    default:
      return message || 'Something went wrong. Please try again.';
  }
}
