import { atCustomerTime } from '../billing/customer-time.ts';
import { cancelSubscription } from '../billing/subscription-cancel.ts';
import { updateSubscription } from '../billing/subscription-update.ts';
import type { Ctx } from '../core/context.ts';
import { missingParam, noSuch } from '../core/errors.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import { CREATED_PARAM, EXPAND_ONLY, LIST_PARAMS, type ParamShape } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';

const SUBSCRIPTION_UPDATE = {
  ...EXPAND_ONLY,
  items: [{ id: 'value', price: 'value', quantity: 'value', deleted: 'value' }],
  proration_behavior: 'value',
  proration_date: 'value',
  payment_behavior: 'value',
  cancel_at_period_end: 'value',
  trial_end: 'value',
  metadata: 'free',
  default_payment_method: 'value',
  description: 'value',
} as const satisfies ParamShape;

export function registerSubscriptionRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;
  const customerOf = (id: string | undefined) => {
    const customer = id ? store.subscriptions.get(id)?.customer : undefined;
    return typeof customer === 'string' ? customer : customer?.id;
  };

  api.get('/v1/subscriptions/:id', { stripe: 'SubscriptionRetrieveParams', params: EXPAND_ONLY }, ({ path }) => store.subscriptions.getOrThrow(path.id ?? ''));
  api.post('/v1/subscriptions/:id', { stripe: 'SubscriptionUpdateParams', params: SUBSCRIPTION_UPDATE }, ({ params, path }) =>
    atCustomerTime(ctx, customerOf(path.id), () => updateSubscription(ctx, path.id ?? '', params)),
  );
  api.delete(
    '/v1/subscriptions/:id',
    { stripe: 'SubscriptionCancelParams', params: { ...EXPAND_ONLY, prorate: 'value', invoice_now: 'value' } },
    ({ params, path }) => cancelSubscription(ctx, path.id ?? '', { prorate: params.bool('prorate') ?? false, invoiceNow: params.bool('invoice_now') ?? false }),
  );

  // Like Stripe, the default list leaves canceled subscriptions out; status=all brings them back.
  // Subscriptions on a test clock are listed only when asked for by customer or by that clock.
  const subscriptionList = { ...LIST_PARAMS, ...CREATED_PARAM, customer: 'value', price: 'value', status: 'value', test_clock: 'value' } as const;
  api.get('/v1/subscriptions', { stripe: 'SubscriptionListParams', params: subscriptionList }, ({ params }) => {
    const customer = params.string('customer');
    const price = params.string('price');
    const status = params.string('status');
    const clock = params.string('test_clock');
    const items = store.subscriptions.newestFirst().filter((s) => {
      if (clock ? s.test_clock !== clock : !customer && s.test_clock !== null) return false;
      const statusOk =
        status === 'all' ||
        (status === undefined && s.status !== 'canceled' && s.status !== 'incomplete_expired') ||
        (status === 'ended' && (s.status === 'canceled' || s.status === 'incomplete_expired')) ||
        s.status === status;
      return (
        statusOk && (!customer || s.customer === customer) && (!price || s.items.data.some((i) => i.price.id === price)) && matchesCreated(s.created, params)
      );
    });
    return paginate(items, params, '/v1/subscriptions');
  });

  api.get('/v1/subscription_items', { stripe: 'SubscriptionItemListParams', params: { ...LIST_PARAMS, subscription: 'value' } }, ({ params }) => {
    const subId = params.string('subscription');
    if (!subId) throw missingParam('subscription');
    const sub = store.subscriptions.getOrThrow(subId, 'subscription');
    return paginate([...sub.items.data].reverse(), params, `/v1/subscription_items?subscription=${sub.id}`);
  });
  api.get('/v1/subscription_items/:id', { stripe: 'SubscriptionItemRetrieveParams', params: EXPAND_ONLY }, ({ path }) => {
    for (const sub of store.subscriptions.newestFirst()) {
      const item = sub.items.data.find((i) => i.id === path.id);
      if (item) return item;
    }
    throw noSuch('subscription_item', path.id ?? '');
  });
}
