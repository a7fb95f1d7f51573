import type { Request } from 'express';
import { StripeApiError } from '../core/errors.ts';

/**
 * Accepts any test-mode secret or restricted key (`sk_test_...`, `rk_test_...`) as a Bearer token
 * or as the Basic-auth user name (what `curl -u sk_test_...:` sends). Live keys are refused so a
 * misconfigured service cannot be pointed at the emulator with production credentials by accident.
 */
export function authenticate(req: Request): string {
  const header = req.get('authorization');
  if (!header) {
    throw new StripeApiError(401, {
      type: 'invalid_request_error',
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    });
  }
  const key = keyFrom(header);
  if (!key || !/^(sk|rk)_test_\w+$/.test(key)) {
    const shown = key ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '';
    throw new StripeApiError(401, {
      type: 'invalid_request_error',
      code: 'api_key_invalid',
      message: `Invalid API Key provided: ${shown}. The Stripe emulator only accepts test-mode keys (sk_test_...).`,
    });
  }
  return key;
}

/** The key a request carries (Bearer or Basic user name), or null. */
export function keyFrom(header: string): string | null {
  const [scheme, value] = header.split(' ', 2);
  if (!value) return null;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? null;
  return null;
}

/** Stripe's masking of a key in its messages: the first 8 and last 4 characters. */
export function maskKey(key: string): string {
  return `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
}

/** Stripe's 401 for a key it does not know (or one of the other mode: each mode has its own keys). */
export function invalidKey(key: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', code: 'api_key_invalid', message: `Invalid API Key provided: ${maskKey(key)}` });
}

/** Stripe's 401 for a key that was rolled or revoked in the Dashboard. */
export function expiredKey(key: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', code: 'api_key_expired', message: `Expired API Key provided: ${maskKey(key)}` });
}
