import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, startTestApi, TEST_ACTOR, type TestApi } from '@aquoris/api/testing';
import { createPlanWithStripePrice } from '@aquoris/core';
import { startStripeEmulator, type StripeEmulator } from '@aquoris/stripe-emulator';
import { afterAll, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const APP = { slug: 'vega', name: 'Vega', returnUrl: 'https://vega.example.com/settings' };
const WEBHOOK_SECRET = 'whsec_billing_web_e2e';
const STRIPE_KEY = 'sk_test_emulator';

/** The plans every file starts with (thb, so prices read "฿299.00"). */
export const PLANS = [
  { slug: 'basic', name: 'Basic', description: 'For one person', priceAmount: 9900, currency: 'thb', interval: 'month' },
  { slug: 'pro', name: 'Pro', description: 'For growing teams', priceAmount: 29900, currency: 'thb', interval: 'month' },
  { slug: 'max', name: 'Max', description: 'Everything, with priority support', priceAmount: 99900, currency: 'thb', interval: 'month', trialDays: 7 },
] as const;

export interface E2E {
  api: TestApi;
  emulator: StripeEmulator;
  browser: Browser;
  apiKey: string;
  /** A browser context whose "app" (the return URL's site) is a local page, and the session link opened in it. */
  openSession(options: {
    userId: string;
    intent?: 'manage' | 'upgrade';
    planSlug?: string;
    viewport?: { width: number; height: number };
  }): Promise<{ context: BrowserContext; page: Page }>;
  /** GET /api/v1/customers/:id/subscription, as the app would ask. */
  eligibility(userId: string): Promise<{ base: { status: string; plan: { slug: string }; cancelAtPeriodEnd: boolean } | null }>;
  /** Advances the emulator's clock (renewals happen) and waits until the webhooks are delivered. */
  advanceDays(days: number): Promise<void>;
  close(): Promise<void>;
}

/** The real API (fresh database, in-process worker) wired to an in-process Stripe emulator, plus headless Chromium. */
/**
 * The stack a test file shares: started before its tests, closed after them. The object returned
 * forwards to it once it is up, so tests use it as they would the stack itself.
 */
export function useE2E(): E2E {
  let started: E2E | undefined;
  beforeAll(async () => {
    started = await startE2E();
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as E2E, {
    get(_, name) {
      if (!started) throw new Error('useE2E: the stack is ready inside tests only');
      const value: unknown = Reflect.get(started, name);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}

export async function startE2E(): Promise<E2E> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // The API's port first, so the emulator can deliver its webhooks there from the start.
  const port = await freePort();
  const emulator = await startStripeEmulator({
    port: 0,
    webhookUrl: `http://127.0.0.1:${port}/api/v1/webhooks/stripe`,
    webhookSecret: WEBHOOK_SECRET,
    webhookRetryBaseMs: 50,
    webhookMaxAttempts: 8,
  });
  // The API's clock follows the emulator's virtual clock, so "now" agrees on both sides after a jump.
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const api = await startTestApi({
    port,
    clock,
    env: {
      STRIPE_SECRET_KEY: STRIPE_KEY,
      STRIPE_API_BASE: emulator.url,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      WORKER_RETRY_BASE_MS: '50',
      WEBHOOK_SWEEP_INTERVAL_MS: '250',
    },
  });

  const { apiKey } = await api.createApp(APP);
  for (const plan of PLANS) await createPlanWithStripePrice(api.server.deps, TEST_ACTOR, { ...plan });

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });

  return {
    api,
    emulator,
    browser,
    apiKey,
    async openSession({ userId, intent = 'manage', planSlug, viewport = { width: 1280, height: 900 } }) {
      const res = await api.request('/api/v1/sessions', {
        method: 'POST',
        apiKey,
        json: { externalUserId: userId, appSlug: APP.slug, intent, ...(planSlug ? { planSlug } : {}), user: { email: `${userId}@example.com`, name: userId } },
      });
      if (res.status !== 200) throw new Error(`POST /api/v1/sessions: ${res.status} ${await res.text()}`);
      const { url } = (await res.json()) as { url: string };
      const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
      // The subscriber's app: nothing on this machine answers for it, so serve a stand-in page.
      await context.route('https://vega.example.com/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Vega</title><h1>Vega settings</h1>' }),
      );
      const page = await context.newPage();
      await page.goto(url);
      return { context, page };
    },
    async eligibility(userId) {
      const res = await api.request(`/api/v1/customers/${encodeURIComponent(userId)}/subscription`, { apiKey });
      if (res.status !== 200) throw new Error(`eligibility: ${res.status} ${await res.text()}`);
      return (await res.json()) as Awaited<ReturnType<E2E['eligibility']>>;
    },
    async advanceDays(days) {
      const { now } = emulator.advanceClock(days * 86_400);
      clock.offsetMs = now * 1000 - Date.now();
      await emulator.flushWebhooks(20_000);
    },
    async close() {
      await browser.close();
      await api.close();
      await emulator.close();
    },
  };
}

/**
 * Screenshot under apps/billing-web/artifacts/ (gitignored), to be looked at:
 * the full page, or only the viewport for a modal (its backdrop covers the viewport).
 */
export async function shot(page: Page, name: string, options: { viewportOnly?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: !options.viewportOnly });
}

/** Pays on the emulator's hosted Checkout page with a test card. */
export async function payOnCheckout(page: Page, card: string, email: string): Promise<void> {
  // Checkout pre-fills (and locks) the email of a known customer.
  const emailField = page.getByLabel('Email');
  if (await emailField.isEditable()) await emailField.fill(email);
  else expect(await emailField.inputValue()).toBe(email);
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiration').fill('12 / 34');
  await page.getByLabel('CVC').fill('123');
  await page.getByRole('button', { name: 'Subscribe' }).click();
}

/** From the dashboard of a subscriber without a plan: Plans → Subscribe → pay with 4242 → confirmation → back to the dashboard. */
export async function subscribeThroughUi(page: Page, planName: string, email: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
  await page
    .getByRole('listitem', { name: planName })
    .getByRole('button', { name: `Subscribe to ${planName}` })
    .click();
  await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
  await payOnCheckout(page, '4242 4242 4242 4242', email);
  await page.getByRole('heading', { level: 1, name: "You're all set" }).waitFor({ timeout: 15_000 });
  await page.getByRole('link', { name: 'View billing' }).click();
  await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
}

/** Counts the tRPC calls of one procedure a page sends (batched calls list every path in the URL). */
export function countCalls(page: Page, procedure: string): () => number {
  let count = 0;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/trpc/')) return;
    count += url.pathname
      .slice('/trpc/'.length)
      .split(',')
      .filter((p) => p === procedure).length;
  });
  return () => count;
}
