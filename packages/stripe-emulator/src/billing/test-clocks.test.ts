import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createPlan, subscribeViaCheckout } from '../testing/factories.ts';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

const DAY = 86_400;
/** A fixed moment in the past, so nothing about the test depends on today's date. */
const FROZEN = Date.UTC(2025, 0, 15, 12) / 1000;
const periodEnd = (sub: Stripe.Subscription) => sub.items.data[0]?.current_period_end ?? 0;

async function untilReady(id: string): Promise<Stripe.TestHelpers.TestClock> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const clock = await h.stripe.testHelpers.testClocks.retrieve(id);
    if (clock.status !== 'advancing' || Date.now() > deadline) return clock;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function clockWithSubscriber() {
  const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: FROZEN, name: 'renewals' });
  const customer = await h.stripe.customers.create({ email: 'clocked@example.com', test_clock: clock.id });
  const price = await createPlan(h.stripe);
  const { subscription } = await subscribeViaCheckout(h, price, { customer: customer.id });
  return { clock, customer, price, subscription };
}

describe('test clocks', () => {
  it('creates, retrieves, lists and deletes clocks, with their events', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: FROZEN, name: 'Monthly' });
    expect(clock).toMatchObject({ object: 'test_helpers.test_clock', frozen_time: FROZEN, name: 'Monthly', status: 'ready', livemode: false });
    expect(clock.id).toMatch(/^clock_/);
    expect(await h.stripe.testHelpers.testClocks.retrieve(clock.id)).toEqual(clock);
    expect((await h.stripe.testHelpers.testClocks.list()).data.map((c) => c.id)).toEqual([clock.id]);
    expect(await h.stripe.testHelpers.testClocks.del(clock.id)).toEqual({ id: clock.id, object: 'test_helpers.test_clock', deleted: true });
    await expect(h.stripe.testHelpers.testClocks.retrieve(clock.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await h.flush();
    expect(h.receiver.types()).toEqual(['test_helpers.test_clock.created', 'test_helpers.test_clock.deleted']);
  });

  it("dates a clocked customer's objects at the frozen time and keeps them out of default lists", async () => {
    const { clock, customer, subscription } = await clockWithSubscriber();
    expect(customer).toMatchObject({ test_clock: clock.id, created: FROZEN });
    expect(subscription).toMatchObject({ test_clock: clock.id, created: FROZEN, status: 'active' });
    expect(subscription.items.data[0]?.current_period_start).toBe(FROZEN);
    const invoice = (await h.stripe.invoices.list({ customer: customer.id })).data[0];
    expect(invoice).toMatchObject({ test_clock: clock.id, created: FROZEN, status: 'paid' });
    expect((await h.stripe.customers.list()).data).toHaveLength(0);
    expect((await h.stripe.customers.list({ test_clock: clock.id })).data.map((c) => c.id)).toEqual([customer.id]);
    expect((await h.stripe.subscriptions.list()).data).toHaveLength(0);
    expect((await h.stripe.subscriptions.list({ test_clock: clock.id })).data.map((s) => s.id)).toEqual([subscription.id]);
    expect((await h.stripe.subscriptions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([subscription.id]);
  });

  it('advances: advancing then ready, renewing only the clock’s customers at the period boundary', async () => {
    const { clock, customer, subscription } = await clockWithSubscriber();
    const outsider = await subscribeViaCheckout(h, await createPlan(h.stripe), { email: 'outsider@example.com' });
    await h.flush();
    h.receiver.clear();
    const boundary = periodEnd(subscription);

    // The emulator's own clock does not move a clocked customer.
    h.advanceTo(boundary + 400 * DAY);
    expect((await h.stripe.invoices.list({ customer: customer.id })).data).toHaveLength(1);

    const advancing = await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: boundary + DAY });
    expect(advancing).toMatchObject({ status: 'advancing', frozen_time: FROZEN, status_details: { advancing: { target_frozen_time: boundary + DAY } } });
    const ready = await untilReady(clock.id);
    expect(ready).toMatchObject({ status: 'ready', frozen_time: boundary + DAY, status_details: {} });

    const invoices = (await h.stripe.invoices.list({ customer: customer.id })).data;
    expect(invoices).toHaveLength(2);
    expect(invoices[0]).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', created: boundary, test_clock: clock.id });
    const renewed = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.items.data[0]?.current_period_start).toBe(boundary);
    const outsiderInvoices = (await h.stripe.invoices.list({ customer: String(outsider.subscription.customer) })).data;
    expect(outsiderInvoices.every((i) => i.test_clock === null)).toBe(true);

    await h.flush();
    const types = h.receiver.types();
    expect(types[0]).toBe('test_helpers.test_clock.advancing');
    expect(types.at(-1)).toBe('test_helpers.test_clock.ready');
    expect(types).toContain('invoice.paid');
    const readyEvent = h.receiver.accepted().at(-1) as Stripe.TestHelpersTestClockReadyEvent;
    expect(readyEvent).toMatchObject({ created: boundary + DAY, request: { id: null } });
  });

  it('runs dunning on the clock: a failed renewal is retried three days later', async () => {
    const { clock, customer, subscription } = await clockWithSubscriber();
    await h.control('POST', `/customers/${customer.id}/fail_next_charge`, { times: 1 });
    const boundary = periodEnd(subscription);
    await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: boundary + 60 });
    await untilReady(clock.id);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: boundary + 3 * DAY + 60 });
    await untilReady(clock.id);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('refuses to go backwards, to advance while advancing, and an unknown clock', async () => {
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: FROZEN });
    await expect(h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FROZEN })).rejects.toMatchObject({ statusCode: 400, param: 'frozen_time' });
    await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: FROZEN + DAY });
    await untilReady(clock.id);
    await expect(h.stripe.customers.create({ test_clock: 'clock_missing' })).rejects.toMatchObject({ statusCode: 400, param: 'test_clock' });
    await expect(h.stripe.testHelpers.testClocks.create({ frozen_time: FROZEN, speed: 2 } as never)).rejects.toMatchObject({
      code: 'parameter_unknown',
      param: 'speed',
    });
  });

  it('attaches an existing customer at creation, and deleting the clock deletes its customers', async () => {
    const customer = await h.stripe.customers.create({ email: 'later@example.com' });
    const clock = await h.stripe.testHelpers.testClocks.create({ frozen_time: FROZEN, customer: customer.id });
    expect((await h.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ test_clock: clock.id });
    await expect(h.stripe.testHelpers.testClocks.create({ frozen_time: FROZEN, customer: customer.id })).rejects.toMatchObject({
      statusCode: 400,
      param: 'customer',
    });
    await h.stripe.testHelpers.testClocks.del(clock.id);
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
  });
});
