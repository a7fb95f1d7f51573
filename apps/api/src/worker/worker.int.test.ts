import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { type Catalog, useStripeCatalog } from '../testing/catalog.ts';
import { startTestApi } from '../testing/index.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';
import { openSubscriber } from '../testing/subscriber.ts';
import { STRIPE_WEBHOOK_PATH } from '../webhooks/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)), { env: { SUBSCRIPTION_EXPIRY_INTERVAL_MS: '1000' } });

const db = () => stack.api.prisma;

async function linkedCustomer(user: string) {
  const sub = await stack.subscriber(catalog.app, user, { email: `${user}@example.com` });
  await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
  const { stripeCustomerId } = await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } });
  return { sub, stripeCustomerId: stripeCustomerId! };
}

const put = (user: string, body: unknown) => stack.api.request(`/api/v1/customers/${user}`, { method: 'PUT', apiKey: catalog.app.apiKey, json: body });

describe('customer profile sync to Stripe (background job)', () => {
  it('PUT /customers pushes the new email and name to the linked Stripe customer', async () => {
    const { stripeCustomerId } = await linkedCustomer('syncs');
    const res = await put('syncs', { email: 'new@example.com', name: 'New Name' });
    expect(res.status).toBe(200);
    const synced = await waitFor(async () => {
      const c = (await stack.stripe.customers.retrieve(stripeCustomerId)) as Stripe.Customer;
      return c.email === 'new@example.com' ? c : null;
    });
    expect(synced.name).toBe('New Name');
    await waitFor(async () => (await db().customer.findFirstOrThrow({ where: { externalUserId: 'syncs' } })).stripeSyncRequestedAt === null, {
      what: 'the sync mark to clear',
    });
  });

  it('a change made while a sync is in flight stays pending and is pushed by its own job', async () => {
    const { sub, stripeCustomerId } = await linkedCustomer('racing');
    const first = put('racing', { name: 'First' });
    const second = put('racing', { name: 'Second' });
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    // The two requests race: whichever committed last is the profile, and that is what Stripe must end with.
    const { name } = await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } });
    expect(['First', 'Second']).toContain(name);
    await waitFor(async () => ((await stack.stripe.customers.retrieve(stripeCustomerId)) as Stripe.Customer).name === name, {
      what: 'the last change to reach Stripe',
    });
    await waitFor(async () => (await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } })).stripeSyncRequestedAt === null, {
      what: 'the mark to clear',
    });
    expect(((await stack.stripe.customers.retrieve(stripeCustomerId)) as Stripe.Customer).name).toBe(name);
  });

  it('a Stripe failure never fails the update; the job retries until Stripe takes it', async () => {
    const { stripeCustomerId } = await linkedCustomer('flaky');
    await stack.control('POST', '/faults', { method: 'POST', path: `/v1/customers/${stripeCustomerId}`, status: 500, times: 4 });
    const res = await put('flaky', { email: 'later@example.com' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).email).toBe('later@example.com');
    await waitFor(async () => ((await stack.stripe.customers.retrieve(stripeCustomerId)) as Stripe.Customer).email === 'later@example.com');
    expect((await stack.control('GET', '/faults')).body.data).toEqual([]); // all four injected failures were hit
  });
});

describe('scheduled expiry', () => {
  it('MANUAL grants past their end disappear from eligibility at once and are marked EXPIRED by the job', async () => {
    await stack.api.grantSubscription({ appSlug: catalog.app.slug, externalUserId: 'granted', planSlug: 'pro', days: 1 });
    const sub = await stack.subscriber(catalog.app, 'granted');
    expect((await sub.eligibility()).base).toMatchObject({ source: 'MANUAL', status: 'ACTIVE' });
    await stack.advanceClock(2 * 86_400);
    expect(await sub.eligibility()).toEqual({ base: null, addons: [] });
    const row = await waitFor(async () => {
      const s = await db().subscription.findFirstOrThrow({ where: { customerId: sub.customerId } });
      return s.status === 'EXPIRED' ? s : null;
    });
    expect(row.endedAt).not.toBeNull();
    expect(await db().auditLog.count({ where: { action: 'subscriptions.expired' } })).toBeGreaterThanOrEqual(1);
  });
});

describe('queues are namespaced by REDIS_KEY_PREFIX', () => {
  it('keeps its BullMQ keys under the prefix', async () => {
    const keys = await stack.api.server.deps.redis.keys(`${stack.api.env.REDIS_KEY_PREFIX}:bull:billing:*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});

describe('without Stripe or PostgreSQL', () => {
  it('with no Stripe configured, eligibility works and checkout is a clear 503', async () => {
    const api = await startTestApi();
    try {
      const app = await api.createApp();
      await api.createPlan({ slug: 'pro', name: 'PRO', priceAmount: 100, currency: 'usd', interval: 'month', stripePriceId: 'price_x' });
      const sub = await openSubscriber(api, app, 'nostripe');
      await expect(sub.mutate('billing.checkout.create', { planSlug: 'pro' })).rejects.toMatchObject({ appCode: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
      expect(await sub.eligibility()).toEqual({ base: null, addons: [] });
      const hook = await api.request(STRIPE_WEBHOOK_PATH, { method: 'POST', body: '{}' });
      expect(hook.status).toBe(503);
    } finally {
      await api.close();
    }
  });

  it('answers 503 when the event cannot be stored, so Stripe retries', async () => {
    const secret = 'whsec_db_down_test';
    const api = await startTestApi({
      databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere',
      env: { STRIPE_WEBHOOK_SECRET: secret, WORKER_IN_PROCESS: 'false' },
    });
    try {
      const payload = JSON.stringify({ id: 'evt_db_down', object: 'event', type: 'invoice.paid', created: 1, data: { object: { id: 'in_1' } } });
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
      const res = await api.request(STRIPE_WEBHOOK_PATH, { method: 'POST', headers: { 'stripe-signature': signature }, body: payload });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await res.json()) as any).error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await api.close();
    }
  });
});
