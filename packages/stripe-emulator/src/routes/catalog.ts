import type Stripe from 'stripe';
import { buildPrice, buildProduct, type RecurringInput } from '../builders/catalog.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest, missingParam } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import type { Params } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';
import { assignChanged } from './changes.ts';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

export function registerCatalogRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  api.post('/v1/products', ({ params }) => createProduct(ctx, params));
  api.get('/v1/products/:id', ({ path }) => store.products.getOrThrow(path.id ?? ''));
  api.post('/v1/products/:id', ({ params, path }) => {
    const product = store.products.getOrThrow(path.id ?? '');
    const previous = assignChanged(product, {
      name: params.string('name'),
      description: params.nullableString('description'),
      active: params.bool('active'),
      metadata: params.has('metadata') ? params.metadata(product.metadata) : undefined,
      default_price: params.nullableString('default_price'),
    });
    if (previous) {
      product.updated = ctx.clock.now();
      ctx.events.emit('product.updated', product, previous);
    }
    return product;
  });
  api.get('/v1/products', ({ params }) => {
    const active = params.bool('active');
    const ids = params.strings('ids');
    const items = store.products
      .newestFirst()
      .filter((p) => (active === undefined || p.active === active) && (ids.length === 0 || ids.includes(p.id)) && matchesCreated(p.created, params));
    return paginate(items, params, '/v1/products');
  });

  api.post('/v1/prices', ({ params }) => createPrice(ctx, params));
  api.get('/v1/prices/:id', ({ path }) => store.prices.getOrThrow(path.id ?? ''));
  api.post('/v1/prices/:id', ({ params, path }) => {
    const price = store.prices.getOrThrow(path.id ?? '');
    const previous = assignChanged(price, {
      active: params.bool('active'),
      nickname: params.nullableString('nickname'),
      lookup_key: params.nullableString('lookup_key'),
      metadata: params.has('metadata') ? params.metadata(price.metadata) : undefined,
    });
    if (previous) ctx.events.emit('price.updated', price, previous);
    return price;
  });
  api.get('/v1/prices', ({ params }) => {
    const active = params.bool('active');
    const product = params.string('product');
    const type = params.string('type');
    const currency = params.string('currency');
    const lookupKeys = params.strings('lookup_keys');
    const items = store.prices
      .newestFirst()
      .filter(
        (p) =>
          (active === undefined || p.active === active) &&
          (!product || p.product === product) &&
          (!type || p.type === type) &&
          (!currency || p.currency === currency) &&
          (lookupKeys.length === 0 || (p.lookup_key !== null && lookupKeys.includes(p.lookup_key))) &&
          matchesCreated(p.created, params),
      );
    return paginate(items, params, '/v1/prices');
  });
}

function createProduct(ctx: Ctx, params: Params): Stripe.Product {
  const id = params.string('id') || newId('prod');
  if (ctx.store.products.get(id)) throw invalidRequest(`Product already exists.`, 'id', 'resource_already_exists');
  const product = buildProduct({
    id,
    now: ctx.clock.now(),
    name: params.requiredString('name'),
    description: params.nullableString('description'),
    active: params.bool('active'),
    metadata: params.metadata(),
  });
  ctx.store.products.set(product);
  ctx.events.emit('product.created', product);
  return product;
}

function createPrice(ctx: Ctx, params: Params): Stripe.Price {
  const currency = params.requiredString('currency').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidRequest(`Invalid currency: ${currency}.`, 'currency');
  const unitAmount = params.int('unit_amount');
  if (unitAmount === undefined) {
    if (params.has('tiers') || params.has('custom_unit_amount')) throw invalidRequest('Tiered and customer-chosen prices are not emulated.', 'billing_scheme');
    throw missingParam('unit_amount');
  }
  if (unitAmount < 0) throw invalidRequest('Invalid non-negative integer', 'unit_amount');
  const productId = resolveProduct(ctx, params);
  const recurringParams = params.object('recurring');
  let recurring: RecurringInput | null = null;
  if (recurringParams) {
    const interval = recurringParams.oneOf('interval', INTERVALS);
    if (!interval) throw missingParam('recurring[interval]');
    const count = recurringParams.int('interval_count') ?? 1;
    if (count < 1) throw invalidRequest('Invalid positive integer', 'recurring[interval_count]');
    recurring = { interval, interval_count: count };
  }
  const price = buildPrice({
    id: newId('price'),
    now: ctx.clock.now(),
    product: productId,
    currency,
    unitAmount,
    recurring,
    nickname: params.nullableString('nickname'),
    lookupKey: params.nullableString('lookup_key'),
    metadata: params.metadata(),
  });
  if (params.bool('active') === false) price.active = false;
  ctx.store.prices.set(price);
  ctx.events.emit('price.created', price);
  return price;
}

/** `product` names an existing product; `product_data[name]` creates one inline. */
function resolveProduct(ctx: Ctx, params: Params): string {
  const productId = params.string('product');
  if (productId) return ctx.store.products.getOrThrow(productId, 'product').id;
  const data = params.object('product_data');
  if (!data) throw invalidRequest('You must specify either product or product_data when creating a price.', 'product', 'parameter_missing');
  return createProduct(ctx, data).id;
}
