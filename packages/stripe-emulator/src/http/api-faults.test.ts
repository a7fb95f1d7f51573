import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

const inject = async (body: Record<string, unknown>) => {
  const res = await h.control<{ id: string }>('POST', '/faults', body);
  expect(res.status).toBe(200);
  return res.body;
};
const client = (options: Stripe.StripeConfig = {}) =>
  new Stripe('sk_test_faults', { host: '127.0.0.1', port: h.emulator.port, protocol: 'http', maxNetworkRetries: 0, ...options });

describe('API fault injection, seen through stripe-node', () => {
  it('500: StripeAPIError without retries; the fault wears off after `times`', async () => {
    await inject({ method: 'POST', path: '/v1/customers', status: 500, times: 1 });
    const error = await h.stripe.customers.create({ email: 'x@example.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 500 });
    expect((await h.stripe.customers.create({ email: 'x@example.com' })).id).toMatch(/^cus_/);
  });

  it('500 then stripe-node’s own retry: the same idempotency key creates exactly one object', async () => {
    await inject({ path: '/v1/customers', status: 500, times: 1 });
    const retrying = client({ maxNetworkRetries: 1 });
    const customer = await retrying.customers.create({ email: 'once@example.com' });
    expect(customer.email).toBe('once@example.com');
    expect((await h.stripe.customers.list()).data).toHaveLength(1);
  });

  it('409 lock_timeout: StripeAPIError; stripe-node would retry it, so retries stay off here', async () => {
    await inject({ path: '/v1/checkout/sessions', status: 409, times: 1 });
    const error = await h.stripe.checkout.sessions.create({ mode: 'subscription', success_url: 'https://x.test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 409, code: 'lock_timeout' });
  });

  it('429: StripeRateLimitError, not retried by stripe-node without Stripe-Should-Retry', async () => {
    await inject({ path: '/v1/products', status: 429, times: 2 });
    const error = await client({ maxNetworkRetries: 2 })
      .products.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    const remaining = await h.control<{ data: Array<{ times: number }> }>('GET', '/faults');
    expect(remaining.body.data[0]?.times).toBe(1);
  });

  it('latency: the call takes at least latencyMs, and a shorter client timeout fails it', async () => {
    await inject({ path: '/v1/customers', latencyMs: 150, times: 2 });
    const started = Date.now();
    await h.stripe.customers.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    const error = await client({ timeout: 50 })
      .customers.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
  });

  it('matches `:param` patterns and methods exactly, and DELETE clears all faults', async () => {
    const customer = await h.stripe.customers.create({});
    await inject({ method: 'GET', path: '/v1/customers/:id', status: 503 });
    await expect(h.stripe.customers.retrieve(customer.id)).rejects.toMatchObject({ statusCode: 503 });
    await expect(h.stripe.customers.list()).resolves.toMatchObject({ object: 'list' });
    await expect(h.stripe.customers.update(customer.id, { name: 'ok' })).resolves.toMatchObject({ name: 'ok' });
    expect((await h.control('DELETE', '/faults')).status).toBe(200);
    await expect(h.stripe.customers.retrieve(customer.id)).resolves.toMatchObject({ id: customer.id });
    expect((await h.control('POST', '/faults', { path: 'no-slash', status: 500 })).status).toBe(400);
  });
});

describe('reset', () => {
  it('clears objects, events, faults and the clock', async () => {
    await h.stripe.customers.create({ email: 'gone@example.com' });
    await inject({ path: '/v1/products', status: 500 });
    const realNow = Math.floor(Date.now() / 1000);
    await h.control('POST', '/clock/advance', { days: 30 });
    const reset = await h.control<{ now: number }>('POST', '/reset');
    expect(reset.status).toBe(200);
    expect(Math.abs(reset.body.now - realNow)).toBeLessThan(5);
    expect((await h.stripe.customers.list()).data).toHaveLength(0);
    expect((await h.stripe.events.list()).data).toHaveLength(0);
    await expect(h.stripe.products.list()).resolves.toMatchObject({ data: [] });
    expect((await h.stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual(['we_emulator_default']);
  });
});
