import Stripe from 'stripe';
import type { Logger } from 'pino';
import type { Env } from '../env.ts';

/** A key that can only be the local emulator's placeholder (real Stripe keys are long). */
const EMULATOR_KEY = 'sk_test_emulator';
const DEFAULT_EMULATOR_BASE = 'http://127.0.0.1:12111';
const REAL_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9]{24,}$/;

export type StripeTarget = { kind: 'stripe' } | { kind: 'emulator'; base: string } | { kind: 'none' };

/**
 * Where the Stripe client points: STRIPE_API_BASE (the emulator, or any
 * Stripe-compatible base) when set; real Stripe for a real key; the emulator
 * on its default port for a placeholder key in development and tests; nothing
 * without a key.
 */
export function stripeTarget(env: Pick<Env, 'STRIPE_SECRET_KEY' | 'STRIPE_API_BASE' | 'NODE_ENV'>): StripeTarget {
  if (env.STRIPE_API_BASE) return { kind: 'emulator', base: env.STRIPE_API_BASE };
  if (!env.STRIPE_SECRET_KEY) return { kind: 'none' };
  if (REAL_KEY.test(env.STRIPE_SECRET_KEY)) return { kind: 'stripe' };
  return env.NODE_ENV === 'production' ? { kind: 'stripe' } : { kind: 'emulator', base: DEFAULT_EMULATOR_BASE };
}

const COMMON = { maxNetworkRetries: 2, timeout: 20_000, appInfo: { name: 'aquoris-billing' } } as const;

/**
 * Builds a stripe-node client for any key, pointed where the platform's client points (real Stripe, or the
 * emulator through stripe-node's own host/port/protocol options): the platform key's and apps' own keys.
 */
export function stripeClientFactory(env: Env): (secretKey: string) => Stripe {
  const target = stripeTarget(env);
  if (target.kind !== 'emulator') return (secretKey) => new Stripe(secretKey, COMMON);
  const base = new URL(target.base);
  const protocol = base.protocol === 'https:' ? 'https' : 'http';
  const options = { ...COMMON, host: base.hostname, port: base.port || (protocol === 'https' ? 443 : 80), protocol } as const;
  return (secretKey) => new Stripe(secretKey, options);
}

/** The platform's Stripe client of a process (STRIPE_SECRET_KEY), or undefined without one. */
export function createStripeClient(env: Env, log: Logger): Stripe | undefined {
  const target = stripeTarget(env);
  if (target.kind === 'none') {
    log.info({}, 'Stripe is not configured (no STRIPE_SECRET_KEY): checkout and webhooks are unavailable');
    return undefined;
  }
  if (target.kind === 'emulator') log.debug({ stripeApiBase: target.base }, 'Stripe client points at the emulator');
  return stripeClientFactory(env)(env.STRIPE_SECRET_KEY ?? EMULATOR_KEY);
}
