import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

describe('products', () => {
  it('creates, retrieves, updates and lists products, emitting product events', async () => {
    const product = await h.stripe.products.create({ name: 'Pro', description: 'Everything', metadata: { sku: 'pro' } });
    expect(product).toMatchObject({ object: 'product', active: true, name: 'Pro', description: 'Everything', livemode: false, metadata: { sku: 'pro' } });
    expect(product.id).toMatch(/^prod_/);
    expect((await h.stripe.products.retrieve(product.id)).name).toBe('Pro');
    const updated = await h.stripe.products.update(product.id, { name: 'Pro Plus', active: false, description: '' });
    expect(updated).toMatchObject({ name: 'Pro Plus', active: false, description: null });
    expect((await h.stripe.products.list({ active: false })).data.map((p) => p.id)).toEqual([product.id]);
    expect((await h.stripe.products.list({ active: true })).data).toHaveLength(0);
    await h.flush();
    const updatedEvent = h.receiver.accepted().find((e) => e.type === 'product.updated') as Stripe.ProductUpdatedEvent;
    expect(updatedEvent.data.previous_attributes).toMatchObject({ name: 'Pro', active: true, description: 'Everything' });
  });

  it('accepts a custom id once', async () => {
    await h.stripe.products.create({ id: 'prod_custom', name: 'Custom' });
    await expect(h.stripe.products.create({ id: 'prod_custom', name: 'Again' })).rejects.toMatchObject({ code: 'resource_already_exists' });
  });
});

describe('prices', () => {
  it('creates recurring and one-time prices against an existing product', async () => {
    const product = await h.stripe.products.create({ name: 'Pro' });
    const monthly = await h.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2000,
      recurring: { interval: 'month' },
      lookup_key: 'pro_monthly',
    });
    expect(monthly).toMatchObject({ type: 'recurring', product: product.id, unit_amount: 2000, lookup_key: 'pro_monthly', billing_scheme: 'per_unit' });
    expect(String(monthly.unit_amount_decimal)).toBe('2000');
    const once = await h.stripe.prices.create({ product: product.id, currency: 'USD', unit_amount: 500 });
    expect(once).toMatchObject({ type: 'one_time', recurring: null, currency: 'usd' });
    expect((await h.stripe.prices.list({ product: product.id, type: 'recurring' })).data.map((p) => p.id)).toEqual([monthly.id]);
    expect((await h.stripe.prices.list({ lookup_keys: ['pro_monthly'] })).data.map((p) => p.id)).toEqual([monthly.id]);
  });

  it('deactivates a price and refuses it in new checkouts', async () => {
    const price = await h.stripe.prices.create({ currency: 'usd', unit_amount: 100, recurring: { interval: 'month' }, product_data: { name: 'Old' } });
    const archived = await h.stripe.prices.update(price.id, { active: false });
    expect(archived.active).toBe(false);
    expect((await h.stripe.prices.list({ active: true })).data).toHaveLength(0);
    const error = await h.stripe.checkout.sessions
      .create({ mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }], success_url: 'https://x.test/ok' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, param: 'line_items[0][price]' });
  });

  it('validates the recurring interval and the product reference', async () => {
    await expect(
      h.stripe.prices.create({ currency: 'usd', unit_amount: 100, recurring: { interval: 'fortnight' as 'month' }, product_data: { name: 'X' } }),
    ).rejects.toMatchObject({ param: 'recurring[interval]' });
    await expect(h.stripe.prices.create({ currency: 'usd', unit_amount: 100 } as Stripe.PriceCreateParams)).rejects.toMatchObject({ param: 'product' });
  });
});

describe('customers', () => {
  it('creates, updates, lists and deletes customers with the events Stripe sends', async () => {
    const customer = await h.stripe.customers.create({ email: 'ada@example.com', name: 'Ada', metadata: { appUserId: 'u1' } });
    expect(customer).toMatchObject({ object: 'customer', email: 'ada@example.com', name: 'Ada', balance: 0, delinquent: false, metadata: { appUserId: 'u1' } });
    const updated = await h.stripe.customers.update(customer.id, { email: 'ada@new.example', name: 'Ada L.', metadata: { plan: 'pro' } });
    expect(updated).toMatchObject({ email: 'ada@new.example', name: 'Ada L.', metadata: { appUserId: 'u1', plan: 'pro' } });
    expect((await h.stripe.customers.list()).data.map((c) => c.id)).toEqual([customer.id]);

    const deleted = await h.stripe.customers.del(customer.id);
    expect(deleted).toEqual({ id: customer.id, object: 'customer', deleted: true });
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ id: customer.id, deleted: true });
    await expect(h.stripe.customers.update(customer.id, { name: 'x' })).rejects.toMatchObject({ statusCode: 404 });
    expect((await h.stripe.customers.list()).data).toHaveLength(0);

    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.created', 'customer.updated', 'customer.deleted']);
    const event = h.receiver.accepted()[1] as Stripe.CustomerUpdatedEvent;
    expect(event.data.previous_attributes).toMatchObject({ email: 'ada@example.com', name: 'Ada', metadata: { appUserId: 'u1' } });
    expect(event).toMatchObject({ api_version: Stripe.API_VERSION, livemode: false, pending_webhooks: 1 });
    expect(event.request?.id).toMatch(/^req_/);
  });
});
