import { isHandledStripeEvent, refundInvoice } from '@aquoris/core';
import type { DeliveryRecord } from '@aquoris/stripe-emulator';
import { describe, expect, it } from 'vitest';
import { type Catalog, payCheckout, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';
import { withWebhookFault as withWebhookFaultOn } from '../testing/stripe-events.ts';
import { STRIPE_WEBHOOK_PATH } from './stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const DAY = 86_400;
const db = () => stack.api.prisma;

const withWebhookFault = <T>(fault: Record<string, unknown>, run: () => Promise<T>) => withWebhookFaultOn(stack, fault, run);

/** Exactly one processing per stored event: one PROCESSED row and one audit entry each. */
async function expectOneEffectPerEvent() {
  const events = await db().stripeEvent.findMany({ select: { id: true, status: true } });
  expect(events.every((e) => e.status === 'PROCESSED')).toBe(true);
  const audits = await db().auditLog.groupBy({ by: ['targetId'], where: { action: 'stripe.event.processed' }, _count: true });
  expect(audits).toHaveLength(events.length);
  expect(audits.every((a) => a._count === 1)).toBe(true);
}

describe('duplicated, concurrent and reordered deliveries', () => {
  it('every event delivered 10 times at once: exactly one effect each', async () => {
    const sub = await stack.subscriber(catalog.app, 'tenfold');
    await withWebhookFault({ mode: 'duplicate', count: 10, concurrent: true }, async () => {
      const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
      await stack.advanceClock(32 * DAY);
      await settle(stack);
      const invoice = await db().invoice.findFirstOrThrow({ where: { customerId: sub.customerId }, orderBy: { createdAt: 'asc' } });
      await refundInvoice(stack.api.server.deps, { type: 'admin', adminId: 'a' }, { invoiceId: invoice.id, amount: 1000 });
      await stack.stripe.subscriptions.cancel(stripeSubscriptionId);
      await settle(stack);
    });
    const deliveries = (await stack.control('GET', '/webhooks/deliveries?type=invoice.paid')).body.data;
    expect(deliveries.filter((d: any) => d.outcome === 'succeeded' && d.status === 200).length).toBeGreaterThanOrEqual(20);
    expect(await db().subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
    expect(await db().invoice.count({ where: { customerId: sub.customerId } })).toBe(2);
    expect(await db().refund.count({ where: { invoice: { customerId: sub.customerId } } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: 'subscription.created' } })).toBe(1);
    expect(await sub.eligibility()).toEqual({ base: null, addons: [] });
    await expectOneEffectPerEvent();
  });

  it('shuffled order converges on Stripe’s state', async () => {
    const sub = await stack.subscriber(catalog.app, 'shuffled');
    await withWebhookFault({ mode: 'reorder', batchSize: 6, windowMs: 150 }, async () => {
      const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
      await stack.control('POST', `/checkout_sessions/${/cs_\w+/.exec(created.url)![0]}/pay`, { card: '4242424242424242', email: 'x@example.com' });
      await settle(stack);
      await stack.advanceClock(32 * DAY);
      await sub.eligibility();
      await settle(stack);
    });
    const row = await db().subscription.findFirstOrThrow({ where: { customerId: sub.customerId } });
    const inStripe = await stack.stripe.subscriptions.retrieve(row.stripeSubscriptionId!);
    expect(row.status).toBe('ACTIVE');
    expect(row.currentPeriodEnd.getTime()).toBe(inStripe.items.data[0]!.current_period_end * 1000);
    expect((await db().invoice.findMany({ where: { customerId: sub.customerId } })).map((i) => i.status)).toEqual(['PAID', 'PAID']);
    await expectOneEffectPerEvent();
  });

  it('a stale subscription.updated arriving after deleted changes nothing', async () => {
    const sub = await stack.subscriber(catalog.app, 'stale');
    const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
    await settle(stack);
    await withWebhookFault({ mode: 'drop_then_replay' }, async () => {
      await stack.stripe.subscriptions.update(stripeSubscriptionId, { cancel_at_period_end: true });
      await stack.advanceClock(32 * DAY);
      await stack.emulator.flushWebhooks();
    });
    const events = await stack.stripe.events.list({ limit: 100 });
    const mine = events.data.filter((e) => (e.data.object as { id?: string }).id === stripeSubscriptionId);
    const deleted = mine.find((e) => e.type === 'customer.subscription.deleted')!;
    const updated = mine.find((e) => e.type === 'customer.subscription.updated' && (e.data.object as { status: string }).status === 'active')!;
    expect((await deliver(JSON.stringify(deleted))).status).toBe(200);
    await waitFor(async () => (await db().stripeEvent.findUnique({ where: { id: deleted.id } }))?.status === 'PROCESSED');
    expect((await deliver(JSON.stringify(updated))).status).toBe(200);
    await waitFor(async () => (await db().stripeEvent.findUnique({ where: { id: updated.id } }))?.status === 'PROCESSED');
    const row = await db().subscription.findUniqueOrThrow({ where: { stripeSubscriptionId } });
    expect(row.status).toBe('CANCELED');
    expect(await sub.eligibility()).toEqual({ base: null, addons: [] });
  });

  it('a Stripe failure while processing is retried with backoff until it succeeds', async () => {
    const sub = await stack.subscriber(catalog.app, 'retried');
    await stack.control('POST', '/faults', { method: 'GET', path: '/v1/subscriptions/:id', status: 500, times: 6 });
    try {
      const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
      await stack.control('POST', `/checkout_sessions/${/cs_\w+/.exec(created.url)![0]}/pay`, { card: '4242424242424242', email: 'r@example.com' });
      const failed = await waitFor(() => db().stripeEvent.findFirst({ where: { status: 'FAILED', type: 'checkout.session.completed' } }));
      expect(failed.lastError).toMatch(/Stripe subscription retrieve failed/);
    } finally {
      await stack.control('DELETE', '/faults');
    }
    await settle(stack);
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE' });
  });
});

/** POSTs `body` to the endpoint with `header`, or with a valid signature of the body itself. */
function deliver(body: string, header?: string) {
  const signature = header ?? stack.stripe.webhooks.generateTestHeaderString({ payload: body, secret: stack.webhookSecret });
  return fetch(`${stack.api.baseUrl}${STRIPE_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  });
}

describe('the endpoint', () => {
  const event = (id: string, type = 'invoice.paid') =>
    JSON.stringify({ id, object: 'event', type, created: 1, data: { object: { id: 'in_x', object: 'invoice' } } });

  it('answers 400 with the error envelope and writes nothing for missing, bad and stale signatures', async () => {
    const before = await db().stripeEvent.count();
    const payload = event('evt_forged_1');
    const stale = stack.stripe.webhooks.generateTestHeaderString({ payload, secret: stack.webhookSecret, timestamp: Math.floor(Date.now() / 1000) - 600 });
    const wrong = stack.stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_the_secret' });
    for (const res of [
      await fetch(`${stack.api.baseUrl}${STRIPE_WEBHOOK_PATH}`, { method: 'POST', body: payload }),
      await deliver(payload, wrong),
      await deliver(payload, stale),
    ]) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error.code).toBe('INVALID_SIGNATURE');
    }
    const validForPayload = stack.stripe.webhooks.generateTestHeaderString({ payload, secret: stack.webhookSecret });
    const tampered = await deliver(payload.replace('in_x', 'in_y'), validForPayload);
    expect(tampered.status).toBe(400);
    expect(await db().stripeEvent.count()).toBe(before);
    expect((await deliver(payload, validForPayload)).status).toBe(200); // the same header on the untouched body is fine
    expect(await db().stripeEvent.count()).toBe(before + 1);
  });

  it('answers 200 to a badly signed delivery’s retry (the emulator’s bad_signature fault), storing it once', async () => {
    const sub = await stack.subscriber(catalog.app, 'badsig');
    const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    await settle(stack); // its customer.created (not stored) goes out before the fault
    await withWebhookFault({ mode: 'bad_signature', times: 3 }, async () => {
      await payCheckout(stack, created.url);
      await settle(stack);
    });
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' } });
    const deliveries: DeliveryRecord[] = (await stack.control('GET', '/webhooks/deliveries')).body.data;
    const rejected = deliveries.filter((d) => d.signedWithWrongSecret);
    expect(rejected.length).toBe(3);
    expect(rejected.every((d) => d.status === 400 && d.outcome === 'failed')).toBe(true);
    const eventIds = [...new Set(rejected.map((d) => d.eventId))];
    for (const eventId of eventIds) {
      const attempts = deliveries.filter((d) => d.eventId === eventId);
      expect(attempts.at(-1)).toMatchObject({ status: 200, outcome: 'succeeded', signedWithWrongSecret: false });
      expect(attempts.filter((d) => d.outcome === 'succeeded')).toHaveLength(1);
    }
    expect(rejected[0]?.type).toBe('checkout.session.completed'); // the payment's first event, one the endpoint stores
    // A subscription's own payment intents name no invoice of ours: answered 200 and not stored (handlers.ts concernsUs).
    const isStored = (type: string) => isHandledStripeEvent(type) && !type.startsWith('payment_intent.');
    const handled = eventIds.filter((id) => isStored(rejected.find((d) => d.eventId === id)!.type));
    const stored = await db().stripeEvent.findMany({ where: { id: { in: eventIds } } });
    expect(stored.map((e) => [e.id, e.status]).sort()).toEqual(handled.map((id) => [id, 'PROCESSED']).sort());
    const audits = await db().auditLog.findMany({ where: { action: 'stripe.event.processed', targetId: { in: eventIds } } });
    expect(audits.map((a) => a.targetId).sort()).toEqual([...handled].sort());
  });

  it('acknowledges event types it does not handle without storing them', async () => {
    const res = await deliver(event('evt_unhandled_1', 'customer.created'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, action: 'ignored' });
    expect(await db().stripeEvent.findUnique({ where: { id: 'evt_unhandled_1' } })).toBeNull();
  });
});
