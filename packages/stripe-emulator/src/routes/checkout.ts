import type Stripe from 'stripe';
import { CHECKOUT_MODES, expireCheckoutSession, type CheckoutMode } from '../billing/checkout.ts';
import { atCustomerTime } from '../billing/customer-time.ts';
import { productName } from '../billing/invoices.ts';
import { buildPrice, buildProduct } from '../builders/catalog.ts';
import { buildCheckoutLineItem, buildCheckoutSession } from '../builders/checkout.ts';
import { snapshot } from '../core/clone.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest, missingParam } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import { CREATED_PARAM, EXPAND_ONLY, LIST_PARAMS, type Params, type ParamShape } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';

const MODES = ['payment', 'setup', 'subscription'] as const;

const SESSION_CREATE = {
  ...EXPAND_ONLY,
  mode: 'value',
  ui_mode: 'value',
  success_url: 'value',
  cancel_url: 'value',
  customer: 'value',
  customer_email: 'value',
  client_reference_id: 'value',
  metadata: 'free',
  expires_at: 'value',
  line_items: [
    {
      price: 'value',
      quantity: 'value',
      price_data: {
        currency: 'value',
        unit_amount: 'value',
        product: 'value',
        product_data: { name: 'value', description: 'value', metadata: 'free' },
        recurring: 'unsupported',
      },
    },
  ],
  subscription_data: { metadata: 'free', trial_period_days: 'value', description: 'value' },
} as const satisfies ParamShape;

const SESSION_LIST = {
  ...LIST_PARAMS,
  ...CREATED_PARAM,
  customer: 'value',
  subscription: 'value',
  payment_intent: 'value',
  status: 'value',
} as const satisfies ParamShape;

export function registerCheckoutRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  api.post('/v1/checkout/sessions', { stripe: 'Checkout.SessionCreateParams', params: SESSION_CREATE }, ({ params }) =>
    atCustomerTime(ctx, params.string('customer'), () => createCheckoutSession(ctx, params)),
  );
  api.get('/v1/checkout/sessions/:id', { stripe: 'Checkout.SessionRetrieveParams', params: EXPAND_ONLY }, ({ path }) =>
    store.checkoutSessions.getOrThrow(path.id ?? ''),
  );
  api.post('/v1/checkout/sessions/:id/expire', { stripe: 'Checkout.SessionExpireParams', params: EXPAND_ONLY }, ({ path }) =>
    expireCheckoutSession(ctx, store.checkoutSessions.getOrThrow(path.id ?? '')),
  );
  api.get('/v1/checkout/sessions/:id/line_items', { stripe: 'Checkout.SessionListLineItemsParams', params: LIST_PARAMS }, ({ params, path }) => {
    const session = store.checkoutSessions.getOrThrow(path.id ?? '');
    return paginate(snapshot(store.sessionLineItems.get(session.id) ?? []), params, `/v1/checkout/sessions/${session.id}/line_items`);
  });
  api.get('/v1/checkout/sessions', { stripe: 'Checkout.SessionListParams', params: SESSION_LIST }, ({ params }) => {
    const filters = {
      customer: params.string('customer'),
      subscription: params.string('subscription'),
      payment_intent: params.string('payment_intent'),
      status: params.string('status'),
    };
    const items = store.checkoutSessions
      .newestFirst()
      .filter((s) => Object.entries(filters).every(([key, value]) => !value || s[key as keyof typeof filters] === value) && matchesCreated(s.created, params));
    return paginate(items, params, '/v1/checkout/sessions');
  });
}

function createCheckoutSession(ctx: Ctx, params: Params): Stripe.Checkout.Session {
  const modeName = params.oneOf('mode', MODES);
  if (!modeName) throw missingParam('mode');
  const mode = CHECKOUT_MODES[modeName];
  if (!mode) throw invalidRequest(`mode=${modeName} is not emulated by the Stripe emulator.`, 'mode');
  // Only Stripe's hosted page is emulated (the current API's `hosted_page`; the older `hosted` is gone).
  const uiMode = params.oneOf('ui_mode', ['elements', 'embedded_page', 'form', 'hosted_page'] as const);
  if (uiMode !== undefined && uiMode !== 'hosted_page') throw invalidRequest(`ui_mode=${uiMode} is not supported by the Stripe emulator.`, 'ui_mode');
  const successUrl = params.requiredString('success_url');
  if (!/^https?:\/\//.test(successUrl)) throw invalidRequest('Not a valid URL', 'success_url', 'url_invalid');
  const customerId = params.string('customer');
  const customerEmail = params.string('customer_email');
  if (customerId && customerEmail) throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  if (customerId) ctx.store.customers.getOrThrow(customerId, 'customer');

  const lineItems = parseLineItems(ctx, params, mode);
  const currency = lineItems[0]?.currency ?? 'usd';
  const subscriptionData = params.object('subscription_data');
  const trialDays = subscriptionData?.int('trial_period_days') ?? null;
  if (trialDays !== null && trialDays < 1) throw invalidRequest('The trial period must be at least 1 day.', 'subscription_data[trial_period_days]');

  const id = newId('cs');
  const session = buildCheckoutSession({
    id,
    now: ctx.clock.now(),
    mode: modeName,
    url: `${ctx.settings.baseUrl}/c/pay/${id}`,
    currency,
    amountTotal: lineItems.reduce((sum, li) => sum + li.amount_total, 0),
    customer: customerId ?? null,
    customerEmail: customerEmail ?? null,
    clientReferenceId: params.string('client_reference_id') ?? null,
    successUrl,
    cancelUrl: params.string('cancel_url') ?? null,
    metadata: params.metadata(),
  });
  const expiresAt = params.int('expires_at');
  if (expiresAt !== undefined) {
    if (expiresAt < session.created + 30 * 60 || expiresAt > session.created + 24 * 60 * 60) {
      throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
    }
    session.expires_at = expiresAt;
  }
  ctx.store.checkoutSessions.set(session);
  ctx.store.sessionLineItems.set(id, lineItems);
  if (modeName === 'subscription') {
    ctx.store.sessionSubscriptionData.set(id, {
      trialDays,
      metadata: subscriptionData?.metadata() ?? {},
      description: subscriptionData?.string('description') ?? null,
    });
  }
  return session;
}

/**
 * `line_items[n][price_data]`: Stripe makes an inactive one-time price (and, for `product_data`, a product)
 * for this session only. Recurring inline prices are not emulated.
 */
function inlinePrice(ctx: Ctx, data: Params): Stripe.Price {
  const currency = data.requiredString('currency').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidRequest(`Invalid currency: ${currency}.`, data.name('currency'));
  const unitAmount = data.int('unit_amount');
  if (unitAmount === undefined) throw missingParam(data.name('unit_amount'));
  if (unitAmount < 0) throw invalidRequest('Invalid non-negative integer', data.name('unit_amount'));
  const productId = data.string('product');
  const productData = data.object('product_data');
  if (productId && productData) throw invalidRequest(`You may only specify one of these parameters: product, product_data.`, data.name('product_data'));
  if (!productId && !productData) throw missingParam(data.name('product_data'));
  let product = productId ? ctx.store.products.getOrThrow(productId, data.name('product')).id : '';
  const now = ctx.clock.now();
  if (productData) {
    const created = buildProduct({
      id: newId('prod'),
      now,
      name: productData.requiredString('name'),
      description: productData.nullableString('description'),
      metadata: productData.metadata(),
    });
    created.active = false;
    ctx.store.products.set(created);
    product = created.id;
  }
  const price = buildPrice({ id: newId('price'), now, product, currency, unitAmount, recurring: null });
  price.active = false;
  ctx.store.prices.set(price);
  return price;
}

/** Validates `line_items[n][price|price_data|quantity]` against the mode (recurring or one-time prices, one currency). */
function parseLineItems(ctx: Ctx, params: Params, mode: CheckoutMode): Stripe.LineItem[] {
  const items = params.objects('line_items');
  if (items.length === 0) throw missingParam('line_items');
  const lineItems = items.map((item) => {
    const priceData = item.object('price_data');
    if (priceData && item.has('price')) throw invalidRequest('You may only specify one of these parameters: price, price_data.', item.name('price_data'));
    const price = priceData ? inlinePrice(ctx, priceData) : ctx.store.prices.getOrThrow(item.requiredString('price'), item.name('price'));
    if (!priceData && !price.active) throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, item.name('price'));
    if (Boolean(price.recurring) !== mode.recurring) {
      throw invalidRequest(
        mode.recurring
          ? 'You must provide at least one recurring price in `subscription` mode when using prices.'
          : 'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
        item.name('price'),
      );
    }
    const quantity = item.int('quantity');
    if (quantity === undefined) throw invalidRequest(`Quantity is required. Add \`quantity\` to \`${item.path}\``, item.name('quantity'), 'parameter_missing');
    if (quantity < 1) throw invalidRequest('Invalid positive integer', item.name('quantity'));
    return buildCheckoutLineItem({ id: newId('li'), price, quantity, description: productName(ctx, price) });
  });
  const currency = lineItems[0]?.currency;
  if (lineItems.some((li) => li.currency !== currency)) throw invalidRequest('All line items must use the same currency.', 'line_items');
  return lineItems;
}
