import { MAX_EVENT_ATTEMPTS } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../webhooks/stripe.ts';
import { type Catalog, payCheckout, subscribe, useStripeCatalogOnPrivateRedis } from '../testing/catalog.ts';
import { runCli } from '../testing/cli.ts';
import type { PrivateRedis } from '../testing/redis-server.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';

// A poison event: one the endpoint cannot make sense of, or one whose job cannot be queued. Neither may
// block what comes after it, and both end where an operator sees them (webhooks:failed) and can retry.

let redis: PrivateRedis;
let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalogOnPrivateRedis((s, c, r) => ((stack = s), (catalog = c), (redis = r)));

const db = () => stack.api.prisma;
const cli = (...args: string[]) => runCli(stack.api, args);

function deliver(event: unknown) {
  const body = JSON.stringify(event);
  const signature = stack.stripe.webhooks.generateTestHeaderString({ payload: body, secret: stack.webhookSecret });
  return fetch(`${stack.api.baseUrl}${STRIPE_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  });
}

describe('a signed event of the wrong shape', () => {
  it('is recorded as failed with its reason and answered 200, never 500; a redelivery changes nothing; it cannot be retried', async () => {
    const created = Math.floor(Date.now() / 1000);
    const invoice = { id: 'in_shape', object: 'invoice' };
    const cases = [
      { event: { id: '123', object: 'event', type: 'invoice.paid', created, data: { object: invoice } }, stored: '123', reason: /id: not a Stripe event id/ },
      { event: { id: 'evt_no_created', object: 'event', type: 'invoice.paid', data: { object: invoice } }, stored: 'evt_no_created', reason: /created/ },
      {
        event: { id: 'evt_long_object', object: 'event', type: 'invoice.paid', created, data: { object: { id: `in_${'x'.repeat(300)}` } } },
        stored: 'evt_long_object',
        reason: /data\.object\.id/,
      },
      { event: { id: 'evt_no_data', object: 'event', type: 'charge.refunded', created }, stored: 'evt_no_data', reason: /data/ },
      { event: { id: 456, object: 'event', type: 'invoice.paid', created, data: { object: invoice } }, stored: null, reason: /id:/ },
    ];
    for (const { event, stored, reason } of cases) {
      for (let delivery = 0; delivery < 2; delivery++) {
        const res = await deliver(event);
        expect(res.status, JSON.stringify(event).slice(0, 80)).toBe(200);
        const body = (await res.json()) as { received: boolean; action: string; reason: string };
        expect(body).toMatchObject({ received: true, action: 'failed' });
        expect(body.reason).toMatch(reason);
      }
      if (stored) {
        const row = await db().stripeEvent.findUniqueOrThrow({ where: { id: stored } });
        expect(row).toMatchObject({ status: 'FAILED', attempts: MAX_EVENT_ATTEMPTS, objectId: null });
        expect(row.lastError).toMatch(reason);
      }
    }
    expect(await db().stripeEvent.count({ where: { id: { startsWith: 'invalid_' } } })).toBe(1); // the numeric id: once, under its body's hash

    const listed = await cli('webhooks:failed');
    expect(listed.code).toBe(0);
    const ids = listed.json.events.map((e: { id: string }) => e.id);
    expect(ids).toEqual(expect.arrayContaining(['123', 'evt_no_created', 'evt_long_object', 'evt_no_data']));
    expect(listed.json.events.every((e: { deadLettered: boolean; lastError: string }) => e.deadLettered && /malformed/.test(e.lastError))).toBe(true);
    expect(await cli('webhooks:retry', '--event', '123')).toMatchObject({ code: 1, json: { error: { code: 'STRIPE_EVENT_NOT_RETRYABLE' } } });
    expect(await cli('webhooks:retry', '--event', 'evt_nowhere')).toMatchObject({ code: 1, json: { error: { code: 'STRIPE_EVENT_NOT_FOUND' } } });
  }, 480_000);
});

describe('an event whose job cannot be queued', () => {
  it('does not stop the sweeper: later lost events are recovered and the expiry schedule restored; it is dead-lettered, listed and retried', async () => {
    const owner = await stack.subscriber(catalog.app, 'poisoned');
    const { stripeSubscriptionId } = await subscribe(stack, owner, 'pro');
    const queue = stack.api.server.deps.queue;
    const enqueue = queue.enqueueStripeObject.bind(queue);
    // The fault: queueing this one object always fails (Redis itself is fine).
    queue.enqueueStripeObject = async (ref) => {
      if (ref.objectId === stripeSubscriptionId) throw new Error('this object cannot be queued');
      return enqueue(ref);
    };
    try {
      const poison = { id: 'evt_poison_1', object: 'event', type: 'customer.subscription.updated', created: Math.floor(Date.now() / 1000) };
      expect(await (await deliver({ ...poison, data: { object: { id: stripeSubscriptionId, object: 'subscription' } } })).json()).toMatchObject({
        action: 'enqueue',
      });

      const later = await stack.subscriber(catalog.app, 'later');
      const checkout = await later.mutate('billing.checkout.create', { planSlug: 'pro' });
      await redis.stop(); // no persistence: the queued jobs and the expiry schedule go with it
      await payCheckout(stack, checkout.url);
      await stack.emulator.flushWebhooks();
      const stored = await waitFor(() => db().stripeEvent.findFirst({ where: { type: 'checkout.session.completed', status: 'RECEIVED' } }), {
        what: 'the later checkout to be stored while Redis is down',
      });
      await redis.start();

      await waitFor(async () => (await db().stripeEvent.findUniqueOrThrow({ where: { id: stored.id } })).status === 'PROCESSED', {
        timeoutMs: 90_000,
        what: 'the sweeper to recover the later event',
      });
      expect((await later.eligibility()).base).toMatchObject({ status: 'ACTIVE', source: 'CHECKOUT' });
      await waitFor(() => queue.queue.getJobScheduler('expire-lapsed-subscriptions'), { timeoutMs: 90_000, what: 'the expiry schedule to be restored' });
      const dead = await waitFor(
        async () => {
          const row = await db().stripeEvent.findUniqueOrThrow({ where: { id: poison.id } });
          return row.attempts >= MAX_EVENT_ATTEMPTS ? row : null;
        },
        { timeoutMs: 180_000, what: 'every sweep to count an attempt until the poison event is dead-lettered' },
      );
      expect(dead).toMatchObject({ status: 'FAILED', attempts: MAX_EVENT_ATTEMPTS });
      expect(dead.lastError).toMatch(/could not be queued: this object cannot be queued/);
    } finally {
      queue.enqueueStripeObject = enqueue;
    }

    const listed = await cli('webhooks:failed');
    expect(listed.json.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'evt_poison_1', deadLettered: true, objectId: stripeSubscriptionId })]),
    );
    const retried = await cli('webhooks:retry', '--event', 'evt_poison_1');
    expect(retried.json).toEqual({
      eventId: 'evt_poison_1',
      object: { kind: 'subscription', objectId: stripeSubscriptionId },
      status: 'RECEIVED',
      queued: true,
    });
    await waitFor(async () => (await db().stripeEvent.findUniqueOrThrow({ where: { id: 'evt_poison_1' } })).status === 'PROCESSED', {
      timeoutMs: 90_000,
      what: 'the retried event to be applied',
    });
    const audits = await db().auditLog.findMany({ where: { action: 'stripe.event.retried', targetId: 'evt_poison_1' } });
    expect(audits).toEqual([expect.objectContaining({ actorType: 'CLI', details: expect.objectContaining({ attempts: MAX_EVENT_ATTEMPTS }) })]);
    expect((await cli('webhooks:failed')).json.events.map((e: { id: string }) => e.id)).not.toContain('evt_poison_1');
  }, 480_000);
});
