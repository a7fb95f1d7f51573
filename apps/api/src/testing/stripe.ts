import { randomBytes } from 'node:crypto';
import type { Clock } from '@aquoris/core';
import { startStripeEmulator, type StripeEmulator } from '@aquoris/stripe-emulator';
import type { Logger } from 'pino';
import Stripe from 'stripe';
import { STRIPE_WEBHOOK_PATH } from '../webhooks/stripe.ts';
import { freePort, startTestApi, type TestApi } from './index.ts';
import { openSubscriber, type Subscriber } from './subscriber.ts';

export { waitFor } from './wait.ts';
export type { Subscriber } from './subscriber.ts';

/** Our clock follows the emulator's virtual clock, so "now" agrees on both sides when a test jumps time. */
export interface EmulatorClock extends Clock {
  offsetMs: number;
}

export interface StripeTestStack {
  api: TestApi;
  emulator: StripeEmulator;
  /** A client of the emulator for the test's own checks (no retries, so faults are seen as they are). */
  stripe: Stripe;
  clock: EmulatorClock;
  webhookSecret: string;
  /** JSON to the emulator's control API (`/__emulator`). */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Moves the emulator's clock (renewals, retries, period ends run) and ours with it. */
  advanceClock(seconds: number): Promise<void>;
  /** A customer of `appKey`'s app with a subscriber session cookie for the tRPC procedures. */
  subscriber(app: { apiKey: string; slug: string }, externalUserId: string, user?: { email?: string; name?: string }): Promise<Subscriber>;
  close(): Promise<void>;
}

export interface StripeTestStackOptions {
  /** Extra API environment (e.g. WORKER_IN_PROCESS=false, REDIS_URL). */
  env?: Record<string, string>;
  /** The API's logger (a test that reads the log lines). */
  logger?: Logger;
}

/**
 * The emulator in-process and the real API wired to it: the API's Stripe
 * client points at the emulator through STRIPE_API_BASE, the emulator
 * delivers signed webhooks to the API's endpoint with the same secret, and
 * webhook retries and the sweeper are fast.
 */
export async function startStripeTestStack(options: StripeTestStackOptions = {}): Promise<StripeTestStack> {
  const port = await freePort();
  const webhookSecret = `whsec_test_${randomBytes(12).toString('hex')}`;
  const emulator = await startStripeEmulator({
    port: 0,
    webhookUrl: `http://127.0.0.1:${port}${STRIPE_WEBHOOK_PATH}`,
    webhookSecret,
    webhookRetryBaseMs: 25,
    webhookMaxAttempts: 8,
  });
  const clock: EmulatorClock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const api = await startTestApi({
    port,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
    env: {
      STRIPE_SECRET_KEY: 'sk_test_emulator',
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_BASE: emulator.url,
      WEBHOOK_SWEEP_INTERVAL_MS: '250',
      WORKER_RETRY_BASE_MS: '40',
      WORKER_CONCURRENCY: '4',
      ...options.env,
    },
  });
  const stripe = new Stripe('sk_test_emulator', { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });

  const control: StripeTestStack['control'] = async (method, path, body) => {
    const res = await fetch(`${emulator.url}/__emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  return {
    api,
    emulator,
    stripe,
    clock,
    webhookSecret,
    control,
    async advanceClock(seconds) {
      const { now } = emulator.advanceClock(seconds);
      clock.offsetMs = now * 1000 - Date.now();
    },
    subscriber: (app, externalUserId, user) => openSubscriber(api, app, externalUserId, user),
    async close() {
      await api.close();
      await emulator.close();
    },
  };
}
