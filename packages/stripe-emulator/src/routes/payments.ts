import { createRefund } from '../billing/refunds.ts';
import type { Ctx } from '../core/context.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import type { ApiRoutes } from '../http/api-routes.ts';

export function registerPaymentRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  api.get('/v1/payment_intents/:id', ({ path }) => store.paymentIntents.getOrThrow(path.id ?? ''));
  api.get('/v1/payment_intents', ({ params }) => {
    const customer = params.string('customer');
    const items = store.paymentIntents.newestFirst().filter((p) => (!customer || p.customer === customer) && matchesCreated(p.created, params));
    return paginate(items, params, '/v1/payment_intents');
  });

  api.get('/v1/charges/:id', ({ path }) => store.charges.getOrThrow(path.id ?? ''));
  api.get('/v1/charges', ({ params }) => {
    const customer = params.string('customer');
    const paymentIntent = params.string('payment_intent');
    const items = store.charges
      .newestFirst()
      .filter((c) => (!customer || c.customer === customer) && (!paymentIntent || c.payment_intent === paymentIntent) && matchesCreated(c.created, params));
    return paginate(items, params, '/v1/charges');
  });

  api.post('/v1/refunds', ({ params }) => createRefund(ctx, params));
  api.get('/v1/refunds/:id', ({ path }) => store.refunds.getOrThrow(path.id ?? ''));
  api.get('/v1/refunds', ({ params }) => {
    const charge = params.string('charge');
    const paymentIntent = params.string('payment_intent');
    const items = store.refunds
      .newestFirst()
      .filter((r) => (!charge || r.charge === charge) && (!paymentIntent || r.payment_intent === paymentIntent) && matchesCreated(r.created, params));
    return paginate(items, params, '/v1/refunds');
  });
}
