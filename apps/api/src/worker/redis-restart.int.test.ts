import { describe, expect, it } from 'vitest';
import { type Catalog, payCheckout, subscribe, useStripeCatalogOnPrivateRedis } from '../testing/catalog.ts';
import type { PrivateRedis } from '../testing/redis-server.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';

let redis: PrivateRedis;
let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalogOnPrivateRedis((s, c, r) => ((stack = s), (catalog = c), (redis = r)));

describe('Redis restarted during delivery', () => {
  it('events stored while Redis is down (and lost with it) are recovered by the sweeper', async () => {
    await subscribe(stack, await stack.subscriber(catalog.app, 'before'), 'pro'); // the pipeline works on this Redis
    const sub = await stack.subscriber(catalog.app, 'during');
    const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });

    await redis.stop(); // no persistence: whatever was queued is gone
    await payCheckout(stack, created.url);
    const stored = await waitFor(
      () =>
        stack.api.prisma.stripeEvent.findFirst({
          where: { type: 'checkout.session.completed', payload: { path: ['data', 'object', 'client_reference_id'], equals: sub.customerId } },
        }),
      {
        what: 'the webhook to be stored while Redis is down',
      },
    );
    await stack.emulator.flushWebhooks();
    const deliveries = (await stack.control('GET', `/webhooks/deliveries?eventId=${stored.id}`)).body.data;
    expect(deliveries.map((d: any) => d.status)).toEqual([200]); // accepted at once, not retried by Stripe
    expect((await stack.api.prisma.stripeEvent.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe('RECEIVED');

    await redis.start(); // an empty Redis: the job was never there
    await waitFor(async () => (await stack.api.prisma.stripeEvent.findUniqueOrThrow({ where: { id: stored.id } })).status === 'PROCESSED', {
      timeoutMs: 20_000,
      what: 'the sweeper to re-queue the event',
    });
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', source: 'CHECKOUT' });
    expect(await stack.api.prisma.subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
  });
});

describe('Redis down during a customer profile change', () => {
  it('the change still reaches Stripe: the database keeps it pending and the sweeper queues it once Redis is back', async () => {
    const sub = await stack.subscriber(catalog.app, 'profile', { email: 'old@example.com' });
    await sub.mutate('billing.checkout.create', { planSlug: 'pro' }); // links a Stripe customer
    const { stripeCustomerId } = await stack.api.prisma.customer.findUniqueOrThrow({ where: { id: sub.customerId } });

    await redis.stop();
    const res = await stack.api.request('/api/v1/customers/profile', { method: 'PUT', apiKey: catalog.app.apiKey, json: { email: 'new@example.com' } });
    expect(res.status).toBe(200); // the database update never waits on the queue
    const pending = await stack.api.prisma.customer.findUniqueOrThrow({ where: { id: sub.customerId } });
    expect(pending.email).toBe('new@example.com');
    expect(pending.stripeSyncRequestedAt).not.toBeNull();

    await redis.start();
    await waitFor(async () => ((await stack.stripe.customers.retrieve(stripeCustomerId!)) as { email: string | null }).email === 'new@example.com', {
      timeoutMs: 20_000,
      what: 'the sweeper to queue the customer sync',
    });
    await waitFor(async () => (await stack.api.prisma.customer.findUniqueOrThrow({ where: { id: sub.customerId } })).stripeSyncRequestedAt === null, {
      what: 'the sync mark to be cleared',
    });
  });
});
