import { apps, stripeConfigs, type AppRow, type StripeConfigRow } from '@aquoris/db';
import { LRUCache } from 'lru-cache';
import type Stripe from 'stripe';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { requireStripe, type StripeDeps } from '../stripe/gateway.ts';
import { decryptStripeSecret, type StripeConfigKeys } from './keys.ts';
import type { StripeMode } from './schemas.ts';

/**
 * What the composition root gives core for apps on their own Stripe accounts: the encryption keys, a way to
 * build a stripe-node client for a key (pointed where the platform's points: real Stripe or the emulator),
 * and the platform key's mode. Clients are cached by config row and key version, so a saved change (a new
 * row) is a new client and a deactivated row is never used again.
 */
export interface StripeAccounts {
  keys: StripeConfigKeys;
  createClient(secretKey: string): Stripe;
  /** Whether STRIPE_SECRET_KEY is a live key: the mode of every object an app on the platform account stores. */
  platformLivemode: boolean;
  clients: LRUCache<string, Stripe>;
}

export function createStripeAccounts(options: Omit<StripeAccounts, 'clients'> & { maxClients?: number }): StripeAccounts {
  return { ...options, clients: new LRUCache<string, Stripe>({ max: options.maxClients ?? 500 }) };
}

/** Which account a Stripe call went to: an app's own (configId) or the platform's (null), and its mode. */
export interface StripeAccountRef {
  appId: string | null;
  configId: string | null;
  livemode: boolean;
}

export type AccountStripeDeps = StripeDeps & { stripeAccount: StripeAccountRef };

export const modeOf = (livemode: boolean): StripeMode => (livemode ? 'live' : 'test');

const PLATFORM = (deps: Deps): AccountStripeDeps => ({
  ...deps,
  stripe: requireStripe(deps),
  stripeAccount: { appId: null, configId: null, livemode: deps.stripeAccounts?.platformLivemode ?? false },
});

function clientFor(deps: Deps, row: StripeConfigRow): Stripe {
  const accounts = deps.stripeAccounts;
  if (!accounts) throw new AppError('SERVICE_UNAVAILABLE', 'Per-app Stripe accounts are not configured on this server (STRIPE_CONFIG_ENCRYPTION_KEY)');
  const cacheKey = `${row.id}:${row.encryptionKeyId}`;
  let client = accounts.clients.get(cacheKey);
  if (!client) {
    client = accounts.createClient(decryptStripeSecret(accounts.keys, row.secretKeyCiphertext, row.encryptionKeyId));
    accounts.clients.set(cacheKey, client);
  }
  return client;
}

/** Drops the cached clients of these rows (after a save or deactivation; the rows are never used again anyway). */
export function forgetStripeClients(deps: Deps, rows: readonly StripeConfigRow[]): void {
  for (const row of rows) deps.stripeAccounts?.clients.delete(`${row.id}:${row.encryptionKeyId}`);
}

/**
 * The Stripe client of an app: its own account's key of its current mode when it has its own configuration,
 * else the platform's (today's behaviour, the default). A test-mode app only ever gets its test key. An app
 * on its own account without keys for its current mode is refused (STRIPE_NOT_CONFIGURED), never sent to
 * the platform account.
 */
export async function stripeFor(deps: Deps, appOrAppId: string | Pick<AppRow, 'id' | 'testMode'>): Promise<AccountStripeDeps> {
  const app = typeof appOrAppId === 'string' ? await apps.findById(deps.db.kysely, appOrAppId) : appOrAppId;
  if (!app) throw new AppError('APP_NOT_FOUND', 'App not found');
  const active = await stripeConfigs.listActive(deps.db.kysely, app.id);
  if (active.length === 0) return PLATFORM(deps);
  const mode = app.testMode ? 'test' : 'live';
  const row = active.find((r) => r.mode === mode);
  if (!row) throw new AppError('STRIPE_NOT_CONFIGURED', `This app uses its own Stripe account but has no ${mode} keys (PUT /api/v1/stripe/config)`);
  return { ...deps, stripe: clientFor(deps, row), stripeAccount: { appId: app.id, configId: row.id, livemode: mode === 'live' } };
}

/**
 * The client for a stored event's account (the worker reads the object back from where the event came from):
 * the app's own account in that mode, or the platform's for events of the platform endpoint.
 */
export async function stripeForEventAccount(deps: Deps, account: { appId: string | null; livemode: boolean }): Promise<AccountStripeDeps> {
  if (!account.appId) return PLATFORM(deps);
  const row = await stripeConfigs.findActive(deps.db.kysely, account.appId, modeOf(account.livemode));
  if (!row) throw new AppError('STRIPE_NOT_CONFIGURED', `App ${account.appId} has no active ${modeOf(account.livemode)} Stripe keys any more`);
  return { ...deps, stripe: clientFor(deps, row), stripeAccount: { appId: account.appId, configId: row.id, livemode: account.livemode } };
}

/** Deps already bound to an account by stripeFor are used as they are; plain deps get the platform's client (withStripe). */
export function boundStripe(deps: Deps): StripeDeps {
  return 'stripeAccount' in deps && deps.stripe ? (deps as AccountStripeDeps) : PLATFORM(deps);
}
