import {
  deactivateStripeConfig,
  getAppBySlugOrThrow,
  getStripeConfig,
  putStripeConfig,
  reencryptStripeConfigs,
  setPlanStripePrice,
  validateStripeConfig,
} from '@aquoris/core';
import type { ApiDeps } from '../context.ts';
import { readSecretFromEnv } from '../env.ts';
import type { Command } from './commands.ts';
import { s, str, type Values } from './flags.ts';

const appIdOf = async (deps: ApiDeps, v: Values) => (await getAppBySlugOrThrow(deps, s(v.app)!)).id;

/** An app's own Stripe account (docs/stripe.md). Secrets are read from the variables named, never from the command line. */
export const STRIPE_CONFIG_COMMANDS: Record<string, Command> = {
  'stripe:config:show': {
    usage: '--app SLUG',
    summary: "Show an app's Stripe configuration: platform or own account, the mode, and the last 4 characters of each secret",
    options: { app: str },
    required: ['app'],
    run: async (deps, actor, v) => getStripeConfig(deps, actor, await appIdOf(deps, v)),
  },
  'stripe:config:set': {
    usage: '--app SLUG --mode test|live --secret-key-env VAR --publishable-key PK --webhook-secret-env VAR [--test-mode true|false]',
    summary:
      "Set an app's own Stripe keys for one mode (the secret key and signing secret read from the variables named); --test-mode picks the mode the app runs in (default true); audited",
    options: { app: str, mode: str, 'secret-key-env': str, 'publishable-key': str, 'webhook-secret-env': str, 'test-mode': str },
    required: ['app', 'mode', 'secret-key-env', 'publishable-key', 'webhook-secret-env'],
    run: async (deps, actor, v) =>
      putStripeConfig(deps, actor, await appIdOf(deps, v), {
        testMode: s(v['test-mode']) !== 'false',
        [s(v.mode)!]: {
          secretKey: readSecretFromEnv(s(v['secret-key-env'])!),
          publishableKey: s(v['publishable-key']),
          webhookSigningSecret: readSecretFromEnv(s(v['webhook-secret-env'])!),
        },
      }),
  },
  'stripe:config:validate': {
    usage: '--app SLUG --mode test|live',
    summary: "Check an app's saved key of that mode with one call to its Stripe account: the account id, or STRIPE_KEY_INVALID",
    options: { app: str, mode: str },
    required: ['app', 'mode'],
    run: async (deps, actor, v) => validateStripeConfig(deps, actor, await appIdOf(deps, v), { mode: s(v.mode) }),
  },
  'stripe:config:deactivate': {
    usage: '--app SLUG',
    summary: "Move an app back to the platform's Stripe account, in test mode; its keys are kept as history; audited",
    options: { app: str },
    required: ['app'],
    run: async (deps, actor, v) => deactivateStripeConfig(deps, actor, await appIdOf(deps, v)),
  },
  'stripe:config:price': {
    usage: '--app SLUG --plan SLUG --mode test|live --price PRICE_ID [--interval month|year]',
    summary: "Map a plan to a price in the app's own Stripe account, checked against that account; audited",
    options: { app: str, plan: str, mode: str, price: str, interval: str },
    required: ['app', 'plan', 'mode', 'price'],
    run: async (deps, actor, v) =>
      setPlanStripePrice(deps, actor, await appIdOf(deps, v), {
        planSlug: s(v.plan),
        mode: s(v.mode),
        stripePriceId: s(v.price),
        ...(v.interval !== undefined ? { interval: s(v.interval) } : {}),
      }),
  },
  'stripe:config:reencrypt': {
    usage: '',
    summary:
      'After rotating STRIPE_CONFIG_ENCRYPTION_KEY (the old one in STRIPE_CONFIG_ENCRYPTION_KEY_PREVIOUS): re-encrypt every stored Stripe secret under the current key (one transaction, idempotent, audited)',
    options: {},
    required: [],
    run: (deps, actor) => reencryptStripeConfigs(deps, actor),
  },
};
