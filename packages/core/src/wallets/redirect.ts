import { apps } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { checkReturnUrl } from '../return-url.ts';

/**
 * The one place wallet deposits check a Checkout redirect (successUrl, cancelUrl) against the app's
 * redirect rules: today core/return-url.ts's checkReturnUrl against the app's registered return URL.
 * Returns the normalised URL; anything refused is a 400 naming the field.
 */
export async function assertDepositRedirect(deps: Pick<Deps, 'db'>, appId: string, field: 'successUrl' | 'cancelUrl', url: string): Promise<string> {
  const app = await apps.findById(deps.db.kysely, appId);
  if (!app) throw new AppError('UNAUTHORIZED', 'This API key no longer belongs to an app');
  const check = checkReturnUrl(url, app.returnUrl);
  if (!check.ok) throw new AppError('BAD_REQUEST', `${field}: ${check.reason.replace(/^returnUrl/, field)}`);
  // Checkout replaces {CHECKOUT_SESSION_ID} in the URL; URL parsing percent-encodes the braces, so put them back.
  return check.url.replaceAll('%7BCHECKOUT_SESSION_ID%7D', '{CHECKOUT_SESSION_ID}');
}
