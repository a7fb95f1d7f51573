import { createPlanWithStripePrice } from '@aquoris/core';
import type { AccountKeys } from '@aquoris/stripe-emulator';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { TEST_ACTOR } from '../testing/index.ts';
import { sessionIdOf } from '../testing/catalog.ts';
import { startStripeTestStack, waitFor, type StripeTestStack } from '../testing/stripe.ts';
import { STRIPE_WEBHOOK_PATH } from '../webhooks/stripe.ts';

/**
 * Two apps on two Stripe accounts side by side (issue 17 part 1): one in test mode on account A's test keys,
 * one in live mode on account B's live keys, each with its own webhook URL and secret. Every response body,
 * log line and audit entry is kept, to show that no secret ever leaves the service.
 */
const logLines: string[] = [];
const bodies: string[] = [];
let stack: StripeTestStack;
let a: AccountKeys;
let b: AccountKeys;
let appA: { id: string; slug: string; apiKey: string };
let appB: { id: string; slug: string; apiKey: string };

const db = () => stack.api.prisma;
const clientOf = (key: string) => new Stripe(key, { host: '127.0.0.1', port: stack.emulator.port, protocol: 'http', maxNetworkRetries: 0 });

async function call(app: { apiKey: string }, method: string, path: string, json?: unknown): Promise<{ status: number; body: any }> {
  const res = await stack.api.request(`/api/v1${path}`, { method, apiKey: app.apiKey, ...(json === undefined ? {} : { json }) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function createAccount(webhookUrls: Record<string, string>): Promise<AccountKeys> {
  const res = await stack.control('POST', '/accounts', { webhookUrls });
  expect(res.status).toBe(200);
  return res.body as AccountKeys;
}

/** A price for the plan 'pro' (29900 THB a month) in an account's mode. */
async function priceIn(key: string, amount = 29_900): Promise<string> {
  const stripe = clientOf(key);
  const product = await stripe.products.create({ name: 'PRO' });
  return (await stripe.prices.create({ product: product.id, unit_amount: amount, currency: 'thb', recurring: { interval: 'month' } })).id;
}

const webhookUrl = (appId: string, mode: string) => `${stack.api.baseUrl}${STRIPE_WEBHOOK_PATH}/${appId}/${mode}`;

beforeAll(async () => {
  stack = await startStripeTestStack({ logger: createLogger('debug', { write: (line: string) => void logLines.push(line) }) });
  await createPlanWithStripePrice(stack.api.server.deps, TEST_ACTOR, { slug: 'pro', name: 'PRO', priceAmount: 29_900, currency: 'thb', interval: 'month' });
  appA = await stack.api.createApp();
  appB = await stack.api.createApp();
  a = await createAccount({ test: webhookUrl(appA.id, 'test') });
  b = await createAccount({ live: webhookUrl(appB.id, 'live') });
}, 60_000);
afterAll(() => stack?.close());

const keysOf = (k: AccountKeys['test']) => ({ secretKey: k.secretKey, publishableKey: k.publishableKey, webhookSigningSecret: k.webhookSecret! });

describe('the Stripe configuration of an app', () => {
  it('starts on the platform account, in test mode, and refuses keys of the wrong mode or kind with a 400', async () => {
    expect((await call(appA, 'GET', '/stripe/config')).body).toEqual({ account: 'platform', testMode: true, test: null, live: null });
    const liveKeyForTest = await call(appA, 'PUT', '/stripe/config', { test: { ...keysOf(a.test), secretKey: a.live.secretKey } });
    expect(liveKeyForTest.status).toBe(400);
    expect(liveKeyForTest.body.error).toEqual({
      code: 'STRIPE_KEY_MODE_MISMATCH',
      message: 'test.secretKey: a test-mode key must start with sk_test_ or rk_test_',
    });
    const testPublishableForLive = await call(appB, 'PUT', '/stripe/config', { testMode: false, live: { ...keysOf(a.test), secretKey: b.live.secretKey } });
    expect(testPublishableForLive.status).toBe(400);
    expect(testPublishableForLive.body.error.message).toContain('live.publishableKey: a live-mode publishable key must start with pk_live_');
    const noLiveKeys = await call(appB, 'PUT', '/stripe/config', { testMode: false, test: keysOf(a.test) });
    expect(noLiveKeys.status).toBe(422);
    expect(await db().appStripeConfig.count()).toBe(0);
  });

  it('saves each app its own keys and shows only their last 4 characters', async () => {
    const savedA = await call(appA, 'PUT', '/stripe/config', { testMode: true, test: keysOf(a.test) });
    expect(savedA.status).toBe(200);
    expect(savedA.body).toMatchObject({
      account: 'own',
      testMode: true,
      test: { secretKeyLast4: a.test.secretKey.slice(-4), publishableKey: a.test.publishableKey, webhookSigningSecretLast4: a.test.webhookSecret!.slice(-4) },
      live: null,
    });
    const savedB = await call(appB, 'PUT', '/stripe/config', { testMode: false, live: keysOf(b.live) });
    expect(savedB.body).toMatchObject({ account: 'own', testMode: false, live: { secretKeyLast4: b.live.secretKey.slice(-4) } });
    expect((await call(appB, 'GET', '/stripe/webhook-urls')).body).toEqual({ test: webhookUrl(appB.id, 'test'), live: webhookUrl(appB.id, 'live') });
    const row = await db().appStripeConfig.findFirstOrThrow({ where: { appId: appA.id } });
    expect(row.secretKeyCiphertext).not.toContain(a.test.secretKey.slice(8));
  });

  it('validates a key with one call to its account, and names a revoked key', async () => {
    expect((await call(appA, 'POST', '/stripe/config/validate', { mode: 'test' })).body).toEqual({ valid: true, accountId: a.id, mode: 'test' });
    expect((await call(appB, 'POST', '/stripe/config/validate', { mode: 'live' })).body).toEqual({ valid: true, accountId: b.id, mode: 'live' });
    const c = await createAccount({});
    expect((await call(appA, 'POST', '/stripe/config/validate', { mode: 'test', secretKey: c.test.secretKey })).body.accountId).toBe(c.id);
    expect((await stack.control('POST', `/accounts/${c.id}/test/revoke_key`)).status).toBe(200);
    const revoked = await call(appA, 'POST', '/stripe/config/validate', { mode: 'test', secretKey: c.test.secretKey });
    expect(revoked.status).toBe(422);
    expect(revoked.body.error.code).toBe('STRIPE_KEY_INVALID');
    expect(revoked.body.error.message).toContain(`key ending in ${c.test.secretKey.slice(-4)}`);
    expect(revoked.body.error.message).not.toContain(c.test.secretKey);
    const mismatch = await call(appA, 'POST', '/stripe/config/validate', { mode: 'live', secretKey: c.test.secretKey });
    expect(mismatch.body.error.code).toBe('STRIPE_KEY_MODE_MISMATCH');
  });

  it("maps the plan to a price in each app's account, checked against that account", async () => {
    const wrongAmount = await call(appA, 'PUT', '/stripe/plan-prices', { planSlug: 'pro', mode: 'test', stripePriceId: await priceIn(a.test.secretKey, 100) });
    expect(wrongAmount.status).toBe(409);
    expect(wrongAmount.body.error.code).toBe('STRIPE_PRICE_MISMATCH');
    const otherAccount = await call(appA, 'PUT', '/stripe/plan-prices', { planSlug: 'pro', mode: 'test', stripePriceId: await priceIn(b.live.secretKey) });
    expect(otherAccount.body.error.code).toBe('STRIPE_PRICE_MISMATCH');
    const priceA = await priceIn(a.test.secretKey);
    expect((await call(appA, 'PUT', '/stripe/plan-prices', { planSlug: 'pro', mode: 'test', stripePriceId: priceA })).body).toEqual({
      planSlug: 'pro',
      mode: 'test',
      interval: 'month',
      stripePriceId: priceA,
    });
    expect((await call(appB, 'PUT', '/stripe/plan-prices', { planSlug: 'pro', mode: 'live', stripePriceId: await priceIn(b.live.secretKey) })).status).toBe(
      200,
    );
  });
});

describe('two apps on two accounts in two modes', () => {
  it('checks out and takes webhooks on each, with no cross-talk', async () => {
    for (const [app, account, mode] of [
      [appA, a, 'test'],
      [appB, b, 'live'],
    ] as const) {
      const sub = await stack.subscriber(app, `user-${mode}`);
      const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
      expect(created.url).toContain(`/__accounts/${account.id}/${mode}/c/pay/`);
      const paid = await stack.control('POST', `/accounts/${account.id}/${mode}/checkout_sessions/${sessionIdOf(created.url)}/pay`, {
        card: '4242424242424242',
        email: `${mode}@example.com`,
      });
      expect(paid.body.error).toBeUndefined();
      expect(paid.status).toBe(200);
      await waitFor(async () => ((await sub.eligibility()).base?.status === 'ACTIVE' ? true : null), { what: `${mode} app's subscription` });
      const subscription = await db().subscription.findFirstOrThrow({ where: { customerId: sub.customerId } });
      expect(subscription).toMatchObject({ appId: app.id, livemode: mode === 'live', stripeSubscriptionId: paid.body.subscription });
      expect((await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } })).livemode).toBe(mode === 'live');
      expect((await db().checkoutSession.findFirstOrThrow({ where: { customerId: sub.customerId } })).livemode).toBe(mode === 'live');
      // The subscription lives in that account's mode only: the platform and the other account do not know it.
      const other = mode === 'test' ? b.live.secretKey : a.test.secretKey;
      for (const key of [other, 'sk_test_emulator', mode === 'test' ? a.live.secretKey : b.test.secretKey]) {
        await expect(clientOf(key).subscriptions.retrieve(paid.body.subscription)).rejects.toMatchObject({ statusCode: 404 });
      }
    }
    await waitFor(async () => ((await db().stripeEvent.count({ where: { status: { not: 'PROCESSED' } } })) === 0 ? true : null), { what: 'events processed' });
    const events = await db().stripeEvent.findMany();
    expect(events.length).toBeGreaterThan(2);
    expect(new Set(events.map((e) => `${e.appId}:${e.livemode}`))).toEqual(new Set([`${appA.id}:false`, `${appB.id}:true`]));
    expect(await db().invoice.count({ where: { appId: appB.id, livemode: true } })).toBe(1);
    expect(await db().invoice.count({ where: { appId: appA.id, livemode: false } })).toBe(1);
  });

  it("refuses an event signed with the other app's secret or sent to the other mode's URL, and records nothing", async () => {
    const payload = JSON.stringify({
      id: 'evt_crosstalk_1',
      object: 'event',
      type: 'invoice.paid',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: 'in_crosstalk_1', object: 'invoice' } },
    });
    const post = async (url: string, secret: string) => {
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
      bodies.push(await res.text());
      return res.status;
    };
    expect(await post(webhookUrl(appA.id, 'test'), b.live.webhookSecret!)).toBe(400);
    expect(await post(webhookUrl(appB.id, 'live'), a.test.webhookSecret!)).toBe(400);
    expect(await post(webhookUrl(appA.id, 'live'), a.test.webhookSecret!)).toBe(400);
    expect(await post(webhookUrl(appB.id, 'test'), b.live.webhookSecret!)).toBe(400);
    expect(await post(`${stack.api.baseUrl}${STRIPE_WEBHOOK_PATH}`, a.test.webhookSecret!)).toBe(400);
    expect(await db().stripeEvent.count({ where: { id: 'evt_crosstalk_1' } })).toBe(0);
    // The right secret at the right URL is taken: the check can fail the other way.
    expect(await post(webhookUrl(appA.id, 'test'), a.test.webhookSecret!)).toBe(200);
    expect(await db().stripeEvent.findUniqueOrThrow({ where: { id: 'evt_crosstalk_1' } })).toMatchObject({ appId: appA.id, livemode: false });
  });

  it('deactivates back to the platform account, keeping the rows as history', async () => {
    const off = await call(appA, 'DELETE', '/stripe/config');
    expect(off.body).toEqual({ account: 'platform', testMode: true, test: null, live: null });
    const rows = await db().appStripeConfig.findMany({ where: { appId: appA.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.deactivatedAt).not.toBeNull();
    const audits = await db().auditLog.findMany({ where: { targetId: appA.id, action: { not: 'app.created' } }, orderBy: { createdAt: 'asc' } });
    expect(audits.map((e) => e.action)).toEqual([
      'app.stripe_config.set',
      'app.stripe_config.validated',
      'app.stripe_config.validated',
      'app.plan_stripe_price.set',
      'app.stripe_config.deactivated',
    ]);
  });

  it('never shows a secret in a response, a log line or an audit entry', async () => {
    const audits = JSON.stringify(await db().auditLog.findMany());
    const secrets = [a, b].flatMap((k) => [k.test.secretKey, k.live.secretKey, k.test.webhookSecret, k.live.webhookSecret]).filter((s): s is string => !!s);
    expect(logLines.length).toBeGreaterThan(20);
    expect(bodies.length).toBeGreaterThan(15);
    for (const secret of secrets) {
      for (const [where, text] of [
        ['logs', logLines.join('\n')],
        ['responses', bodies.join('\n')],
        ['audit', audits],
      ] as const) {
        expect(text.includes(secret), `${where} holds a secret ending in ${secret.slice(-4)}`).toBe(false);
      }
    }
    // The grep can fail: the last 4 characters are there.
    expect(bodies.join('\n')).toContain(a.test.secretKey.slice(-4));
  });
});
