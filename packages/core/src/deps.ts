import type { Database } from '@aquoris/db';
import type { Clock } from './clock.ts';
import type { StripeClient } from './stripe/gateway.ts';
import type { Logger } from './logger.ts';
import type { StripeAccounts } from './stripe-accounts/accounts.ts';

/** Secrets and URLs core needs, resolved once by the composition root. */
export interface CoreConfig {
  /** Public base URL of the service, e.g. https://payment.aquoris.ai (no trailing slash). */
  publicUrl: string;
  /** HS256 key for billing-session URL tokens and the subscriber session cookie. */
  sessionSecret: string;
  /** HS256 key for admin session tokens. */
  adminSessionSecret: string;
  /** Secret from which the API-key encryption key is derived. */
  apiKeyEncryptionSecret: string;
  /** Whether apps may redirect to http://localhost (outside production only); absent: refused. */
  allowLocalhostRedirects?: boolean;
  /** Where a subscriber confirms an invoice's payment intent by card ("Pay now"): the Stripe emulator's /pay page; unset with real Stripe. */
  paymentPageUrl?: string;
}

/** Notifies other processes that app credentials changed (a key rotation, an update, a new app). */
export interface AppEvents {
  appCredentialsChanged(appId: string): Promise<void>;
}

export interface Deps {
  /** PostgreSQL: typed query functions from @aquoris/db run on `db.kysely` or on a `db.transaction` (the one `Tx`). */
  db: Database;
  clock: Clock;
  log: Logger;
  config: CoreConfig;
  events?: AppEvents;
  /** The Stripe client (real Stripe or the local emulator); absent when Stripe is not configured. */
  stripe?: StripeClient;
  /** Apps' own Stripe accounts (stripe-accounts/accounts.ts); absent: every app uses the platform account. */
  stripeAccounts?: StripeAccounts;
}
