import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

const raw = (path: string, init: RequestInit & { key?: string | null } = {}) =>
  fetch(`${h.emulator.url}${path}`, {
    ...init,
    headers: {
      ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? 'sk_test_raw'}` }),
      'content-type': 'application/x-www-form-urlencoded',
      ...(init.headers as Record<string, string> | undefined),
    },
  });

describe('form encoding', () => {
  it('parses bracket notation for nested objects and arrays, like api.stripe.com', async () => {
    const body =
      'currency=eur&unit_amount=990&recurring[interval]=year&recurring[interval_count]=2&product_data[name]=Team&metadata[tier]=gold&expand[0]=product';
    const res = await raw('/v1/prices', { method: 'POST', body });
    expect(res.status).toBe(200);
    const price = (await res.json()) as Stripe.Price & { product: Stripe.Product };
    expect(price).toMatchObject({ currency: 'eur', unit_amount: 990, unit_amount_decimal: '990', metadata: { tier: 'gold' } });
    expect(price.recurring).toMatchObject({ interval: 'year', interval_count: 2, usage_type: 'licensed' });
    expect(price.product).toMatchObject({ object: 'product', name: 'Team' });
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(res.headers.get('stripe-version')).toBe(Stripe.API_VERSION);
  });

  it('reads GET params from the query string in the same notation', async () => {
    await h.stripe.customers.create({ email: 'a@example.com' });
    await h.stripe.customers.create({ email: 'b@example.com' });
    const res = await raw('/v1/customers?email=b%40example.com&limit=1');
    const list = (await res.json()) as Stripe.ApiList<Stripe.Customer>;
    expect(list).toMatchObject({ object: 'list', has_more: false, url: '/v1/customers' });
    expect(list.data.map((c) => c.email)).toEqual(['b@example.com']);
  });

  it('empties a metadata key when it is sent as an empty string', async () => {
    const customer = await h.stripe.customers.create({ metadata: { keep: '1', drop: '2' } });
    const updated = await h.stripe.customers.update(customer.id, { metadata: { drop: '' } });
    expect(updated.metadata).toEqual({ keep: '1' });
  });
});

describe('errors', () => {
  it('answers a missing object with 404 resource_missing, as StripeInvalidRequestError', async () => {
    const error = await h.stripe.customers.retrieve('cus_nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id', message: "No such customer: 'cus_nope'" });
  });

  it('names the missing param with parameter_missing', async () => {
    const error = await h.stripe.products.create({} as Stripe.ProductCreateParams).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'parameter_missing', param: 'name' });
  });

  it('answers a missing object named by a body param with 400 and that param', async () => {
    const error = await h.stripe.prices.create({ currency: 'usd', unit_amount: 100, product: 'prod_missing' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'product' });
  });

  it('answers unknown routes with Stripe’s 404 envelope', async () => {
    const res = await raw('/v1/nothing_here');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { type: string; message: string } }).error).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringContaining('Unrecognized request URL (GET: /v1/nothing_here)'),
    });
  });

  it('rejects a request without an API key with 401', async () => {
    const res = await raw('/v1/customers', { key: null });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('You did not provide an API key');
  });

  it('rejects live and malformed keys through stripe-node as an authentication error', async () => {
    const live = new Stripe('sk_live_123456789012', { host: '127.0.0.1', port: h.emulator.port, protocol: 'http', maxNetworkRetries: 0 });
    const error = await live.customers.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });
});

describe('idempotency keys', () => {
  it('replays the stored response for the same key and the same params', async () => {
    const first = await h.stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'key-1' });
    const second = await h.stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'key-1' });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    const all = await h.stripe.customers.list({ email: 'idem@example.com' });
    expect(all.data).toHaveLength(1);
  });

  it('rejects the same key with different params as a 400 idempotency_error', async () => {
    await h.stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: 'key-2' });
    const error = await h.stripe.customers.create({ email: 'two@example.com' }, { idempotencyKey: 'key-2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({ statusCode: 400, message: expect.stringContaining("other than 'key-2'") });
  });

  it('replays errors too: the first result for a key is the result', async () => {
    const first = await h.stripe.prices.retrieve('price_x').catch((e: unknown) => e);
    expect(first).toMatchObject({ statusCode: 404 });
    const create = () => h.stripe.products.create({ name: '' } as Stripe.ProductCreateParams, { idempotencyKey: 'key-3' });
    await expect(create()).rejects.toMatchObject({ code: 'parameter_missing' });
    await expect(create()).rejects.toMatchObject({ code: 'parameter_missing' });
  });
});

describe('lists and expand', () => {
  it('pages newest first with limit and starting_after, and auto-pagination walks them all', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await h.stripe.products.create({ name: `P${i}` }));
    const page1 = await h.stripe.products.list({ limit: 2 });
    expect(page1.data.map((p) => p.name)).toEqual(['P4', 'P3']);
    expect(page1.has_more).toBe(true);
    const page2 = await h.stripe.products.list({ limit: 2, starting_after: page1.data[1]?.id });
    expect(page2.data.map((p) => p.name)).toEqual(['P2', 'P1']);
    const names: string[] = [];
    for await (const product of h.stripe.products.list({ limit: 2 })) names.push(product.name);
    expect(names).toEqual(['P4', 'P3', 'P2', 'P1', 'P0']);
    await expect(h.stripe.products.list({ limit: 101 })).rejects.toMatchObject({ param: 'limit' });
  });

  it('expands ids on single objects and inside lists, and refuses non-expandable fields', async () => {
    const price = await h.stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Widget' } });
    const expanded = await h.stripe.prices.retrieve(price.id, { expand: ['product'] });
    expect((expanded.product as Stripe.Product).name).toBe('Widget');
    const list = await h.stripe.prices.list({ expand: ['data.product'] });
    expect((list.data[0]?.product as Stripe.Product).object).toBe('product');
    await expect(h.stripe.prices.retrieve(price.id, { expand: ['nonsense'] })).rejects.toMatchObject({ statusCode: 400, param: 'expand' });
  });
});
