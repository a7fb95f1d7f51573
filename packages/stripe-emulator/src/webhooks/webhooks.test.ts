import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { TEST_SECRET, WebhookReceiver } from '../testing/harness.ts';
import { useHarness } from '../testing/use-harness.ts';
import type { DeliveryRecord } from './delivery.ts';

const h = useHarness({ webhookRetryBaseMs: 5, webhookMaxAttempts: 4 });

const deliveries = async (query = '') => (await h.control<{ data: DeliveryRecord[] }>('GET', `/webhooks/deliveries${query}`)).body.data;
const customers = async (n: number) => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await h.stripe.customers.create({ email: `c${i}@example.com` })).id);
  return ids;
};
const createdIds = () => h.receiver.accepted().map((e) => (e.data.object as { id: string }).id);
const setFault = async (body: Record<string, unknown>) => expect((await h.control('POST', '/webhooks/faults', body)).status).toBe(200);

describe('delivery and retries', () => {
  it('signs every delivery so stripe.webhooks.constructEvent accepts it', async () => {
    await customers(1);
    await h.flush();
    const [delivery] = h.receiver.received;
    expect(delivery?.event?.type).toBe('customer.created');
    expect(String(delivery?.headers['stripe-signature'])).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(delivery?.headers['content-type']).toContain('application/json');
  });

  it('retries with backoff after 500s until the receiver accepts, and clears pending_webhooks', async () => {
    const attempts = new Map<string, number>();
    h.receiver.respond = (event) => {
      const n = (attempts.get(event.id) ?? 0) + 1;
      attempts.set(event.id, n);
      return n <= 2 ? 500 : 200;
    };
    const [id] = await customers(1);
    await h.flush();
    const log = await deliveries();
    expect(log.map((d) => [d.attempt, d.status, d.outcome])).toEqual([
      [1, 500, 'failed'],
      [2, 500, 'failed'],
      [3, 200, 'succeeded'],
    ]);
    expect(Date.parse(log[2]?.at ?? '') - Date.parse(log[0]?.at ?? '')).toBeGreaterThanOrEqual(5 + 10);
    expect(createdIds()).toEqual([id]);
    const event = (await h.stripe.events.list({ type: 'customer.created' })).data[0];
    expect(event?.pending_webhooks).toBe(0);
  });

  it('gives up after the configured number of attempts (network errors count too)', async () => {
    h.receiver.respond = () => 503;
    await customers(1);
    await h.flush();
    expect((await deliveries()).map((d) => d.attempt)).toEqual([1, 2, 3, 4]);
    const endpoint = await h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/unreachable', enabled_events: ['product.created'] });
    await h.stripe.products.create({ name: 'x' });
    await h.flush();
    const failed = (await deliveries('?type=product.created')).filter((d) => d.endpointId === endpoint.id);
    expect(failed).toHaveLength(4);
    expect(failed.every((d) => d.status === null && d.error)).toBe(true);
  });

  it('keeps creation order, but a failing event does not hold back the ones after it', async () => {
    let failedOnce = false;
    h.receiver.respond = (event) => {
      if ((event.data.object as { email?: string }).email === 'c0@example.com' && !failedOnce) {
        failedOnce = true;
        return 500;
      }
      return 200;
    };
    h.receiver.latencyMs = 5;
    const ids = await customers(4);
    await h.flush();
    expect(createdIds()).toHaveLength(4);
    expect(createdIds().indexOf(ids[0] ?? '')).toBeGreaterThan(0);
    expect(createdIds().filter((id) => id !== ids[0])).toEqual(ids.slice(1));
  });
});

describe('fault modes', () => {
  it('duplicate: every event delivered N times, one after another', async () => {
    await setFault({ mode: 'duplicate', count: 3 });
    const ids = await customers(2);
    await h.flush();
    expect(createdIds()).toEqual([ids[0], ids[0], ids[0], ids[1], ids[1], ids[1]]);
    expect(new Set(h.receiver.accepted().map((e) => e.id)).size).toBe(2);
  });

  it('duplicate concurrent: the copies arrive at the same time', async () => {
    await setFault({ mode: 'duplicate', count: 3, concurrent: true });
    h.receiver.latencyMs = 40;
    await customers(1);
    await h.flush();
    expect(h.receiver.accepted()).toHaveLength(3);
    expect(h.receiver.maxInFlight).toBe(3);
  });

  it('reorder: a buffered batch is delivered shuffled', async () => {
    await setFault({ mode: 'reorder', batchSize: 5 });
    const ids = await customers(5);
    await h.flush();
    expect(createdIds()).not.toEqual(ids);
    expect([...createdIds()].sort()).toEqual([...ids].sort());
  });

  it('reorder: flush releases a partial batch', async () => {
    await setFault({ mode: 'reorder', batchSize: 50, windowMs: 60_000 });
    const ids = await customers(3);
    expect(h.receiver.received).toHaveLength(0);
    await h.flush();
    expect([...createdIds()].sort()).toEqual([...ids].sort());
  });

  it('delay: deliveries wait the given time', async () => {
    await setFault({ mode: 'delay', ms: 120 });
    const started = Date.now();
    await customers(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(h.receiver.received).toHaveLength(0);
    await h.flush();
    expect(h.receiver.accepted()).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
  });

  it('drop_then_replay: nothing arrives until replay re-sends it in order', async () => {
    await setFault({ mode: 'drop_then_replay' });
    const ids = await customers(3);
    await h.flush();
    expect(h.receiver.received).toHaveLength(0);
    expect((await deliveries()).map((d) => d.outcome)).toEqual(['dropped', 'dropped', 'dropped']);
    const replay = await h.control<{ replayed: number }>('POST', '/webhooks/replay');
    expect(replay.body.replayed).toBe(3);
    await h.flush();
    expect(createdIds()).toEqual(ids);
    await customers(1);
    await h.flush();
    expect(h.receiver.accepted()).toHaveLength(4);
  });

  it('bad_signature: the receiver rejects the forged delivery, the retry is signed correctly', async () => {
    await setFault({ mode: 'bad_signature', times: 1 });
    await customers(1);
    await h.flush();
    expect(h.receiver.received.map((r) => [r.status, r.event === null])).toEqual([
      [400, true],
      [200, false],
    ]);
    expect((await deliveries()).map((d) => d.signedWithWrongSecret)).toEqual([true, false]);
  });

  it('clearing faults restores normal delivery', async () => {
    await setFault({ mode: 'duplicate', count: 2 });
    await setFault({ mode: 'drop_then_replay' });
    expect((await h.control('GET', '/webhooks/faults')).body).toMatchObject({ duplicate: { count: 2 }, drop: true });
    expect((await h.control('DELETE', '/webhooks/faults')).status).toBe(200);
    await customers(1);
    await h.flush();
    expect(h.receiver.accepted()).toHaveLength(1);
    expect((await h.control('POST', '/webhooks/faults', { mode: 'nonsense' })).status).toBe(400);
  });
});

describe('webhook endpoints API', () => {
  it('creates an endpoint with its own secret and event filter, lists and deletes it', async () => {
    const endpoint = await h.stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:1/placeholder', enabled_events: ['customer.created'] });
    const own = new WebhookReceiver(String(endpoint.secret));
    await own.start();
    try {
      await h.stripe.webhookEndpoints.update(endpoint.id, { url: own.url });
      expect(endpoint.secret).toMatch(/^whsec_/);
      expect(endpoint.secret).not.toBe(TEST_SECRET);
      const listed = await h.stripe.webhookEndpoints.list();
      expect(listed.data.map((e) => e.id)).toEqual([endpoint.id, 'we_emulator_default']);
      expect(listed.data[0]).not.toHaveProperty('secret');

      await customers(1);
      await h.stripe.products.create({ name: 'Ignored by the filter' });
      await h.flush();
      expect(own.types()).toEqual(['customer.created']);
      expect(h.receiver.types()).toEqual(['customer.created', 'product.created']);
      expect((await h.stripe.events.list({ type: 'customer.created' })).data[0]?.pending_webhooks).toBe(0);

      expect(await h.stripe.webhookEndpoints.del(endpoint.id)).toMatchObject({ id: endpoint.id, deleted: true });
      await customers(1);
      await h.flush();
      expect(own.types()).toEqual(['customer.created']);
    } finally {
      await own.close();
    }
  });

  it('lists events with type and created filters, and retrieves one', async () => {
    await customers(2);
    const events = await h.stripe.events.list({ types: ['customer.created'], created: { gte: 0 } });
    expect(events.data).toHaveLength(2);
    const one = await h.stripe.events.retrieve(String(events.data[0]?.id));
    expect(one).toMatchObject({ object: 'event', type: 'customer.created', livemode: false, api_version: Stripe.API_VERSION });
    expect(one.api_version).toMatch(/^\d{4}-\d{2}-\d{2}\.[a-z]+$/); // the pinned package's version, a real one
    expect((await h.stripe.events.list({ created: { gt: 4_000_000_000 } })).data).toHaveLength(0);
    const typed = one as Stripe.CustomerCreatedEvent;
    expect(typed.data.object.object).toBe('customer');
  });
});
