import { apps } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertAllowedRedirect } from '../return-url.ts';

/**
 * Wallet deposits' Checkout redirects (successUrl, cancelUrl) go through the app's redirect allowlist
 * (core/return-url.ts). Returns the normalised URL; anything refused is a 400 REDIRECT_NOT_ALLOWED naming the field.
 */
export async function assertDepositRedirect(deps: Pick<Deps, 'db' | 'config'>, appId: string, field: 'successUrl' | 'cancelUrl', url: string): Promise<string> {
  const app = await apps.findById(deps.db.kysely, appId);
  if (!app) throw new AppError('UNAUTHORIZED', 'This API key no longer belongs to an app');
  // Checkout replaces {CHECKOUT_SESSION_ID} in the URL; URL parsing percent-encodes the braces, so put them back.
  return assertAllowedRedirect(deps, app, url, field).replaceAll('%7BCHECKOUT_SESSION_ID%7D', '{CHECKOUT_SESSION_ID}');
}
