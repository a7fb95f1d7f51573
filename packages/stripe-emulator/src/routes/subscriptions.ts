import { cancelSubscription } from '../billing/subscription-cancel.ts';
import { updateSubscription } from '../billing/subscription-update.ts';
import type { Ctx } from '../core/context.ts';
import { missingParam, noSuch } from '../core/errors.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import type { ApiRoutes } from '../http/api-routes.ts';

export function registerSubscriptionRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  api.get('/v1/subscriptions/:id', ({ path }) => store.subscriptions.getOrThrow(path.id ?? ''));
  api.post('/v1/subscriptions/:id', ({ params, path }) => updateSubscription(ctx, path.id ?? '', params));
  api.delete('/v1/subscriptions/:id', ({ params, path }) =>
    cancelSubscription(ctx, path.id ?? '', { prorate: params.bool('prorate') ?? false, invoiceNow: params.bool('invoice_now') ?? false }),
  );

  // Like Stripe, the default list leaves canceled subscriptions out; status=all brings them back.
  api.get('/v1/subscriptions', ({ params }) => {
    const customer = params.string('customer');
    const price = params.string('price');
    const status = params.string('status');
    const items = store.subscriptions.newestFirst().filter((s) => {
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

  api.get('/v1/subscription_items', ({ params }) => {
    const subId = params.string('subscription');
    if (!subId) throw missingParam('subscription');
    const sub = store.subscriptions.getOrThrow(subId, 'subscription');
    return paginate([...sub.items.data].reverse(), params, `/v1/subscription_items?subscription=${sub.id}`);
  });
  api.get('/v1/subscription_items/:id', ({ path }) => {
    for (const sub of store.subscriptions.newestFirst()) {
      const item = sub.items.data.find((i) => i.id === path.id);
      if (item) return item;
    }
    throw noSuch('subscription_item', path.id ?? '');
  });
}
