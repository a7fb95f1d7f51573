import type Stripe from 'stripe';
import { buildPrice, buildProduct, type RecurringInput } from '../builders/catalog.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest, missingParam } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import { CREATED_PARAM, EXPAND_ONLY, LIST_PARAMS, type Params, type ParamShape } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';
import { assignChanged } from './changes.ts';

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

const PRODUCT_FIELDS = { name: 'value', description: 'value', active: 'value', metadata: 'free' } as const satisfies ParamShape;
const PRODUCT_CREATE = { ...EXPAND_ONLY, ...PRODUCT_FIELDS, id: 'value' } as const satisfies ParamShape;
/** `product_data[...]` on a price: the product fields Stripe allows inline (no description). */
const PRODUCT_CREATE_INLINE = { id: 'value', name: 'value', active: 'value', metadata: 'free' } as const satisfies ParamShape;
const PRICE_FIELDS = { active: 'value', nickname: 'value', lookup_key: 'value', metadata: 'free' } as const satisfies ParamShape;

export function registerCatalogRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  api.post('/v1/products', { stripe: 'ProductCreateParams', params: PRODUCT_CREATE }, ({ params }) => createProduct(ctx, params));
  api.get('/v1/products/:id', { stripe: 'ProductRetrieveParams', params: EXPAND_ONLY }, ({ path }) => store.products.getOrThrow(path.id ?? ''));
  const productUpdate = { ...EXPAND_ONLY, ...PRODUCT_FIELDS, default_price: 'value' } as const;
  api.post('/v1/products/:id', { stripe: 'ProductUpdateParams', params: productUpdate }, ({ params, path }) => {
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
  api.get('/v1/products', { stripe: 'ProductListParams', params: { ...LIST_PARAMS, ...CREATED_PARAM, active: 'value', ids: 'value' } }, ({ params }) => {
    const active = params.bool('active');
    const ids = params.strings('ids');
    const items = store.products
      .newestFirst()
      .filter((p) => (active === undefined || p.active === active) && (ids.length === 0 || ids.includes(p.id)) && matchesCreated(p.created, params));
    return paginate(items, params, '/v1/products');
  });

  const priceCreate = {
    ...EXPAND_ONLY,
    ...PRICE_FIELDS,
    currency: 'value',
    unit_amount: 'value',
    product: 'value',
    product_data: PRODUCT_CREATE_INLINE,
    recurring: { interval: 'value', interval_count: 'value' },
    billing_scheme: 'unsupported',
    tiers: 'unsupported',
    tiers_mode: 'unsupported',
    custom_unit_amount: 'unsupported',
  } as const;
  api.post('/v1/prices', { stripe: 'PriceCreateParams', params: priceCreate }, ({ params }) => createPrice(ctx, params));
  api.get('/v1/prices/:id', { stripe: 'PriceRetrieveParams', params: EXPAND_ONLY }, ({ path }) => store.prices.getOrThrow(path.id ?? ''));
  api.post('/v1/prices/:id', { stripe: 'PriceUpdateParams', params: { ...EXPAND_ONLY, ...PRICE_FIELDS } }, ({ params, path }) => {
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
  const priceList = { ...LIST_PARAMS, ...CREATED_PARAM, active: 'value', product: 'value', type: 'value', currency: 'value', lookup_keys: 'value' } as const;
  api.get('/v1/prices', { stripe: 'PriceListParams', params: priceList }, ({ params }) => {
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
  if (unitAmount === undefined) throw missingParam('unit_amount');
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
