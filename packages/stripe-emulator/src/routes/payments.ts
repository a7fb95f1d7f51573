import { confirmApiPaymentIntent, createApiPaymentIntent, updatePaymentIntent } from '../billing/payment-intents.ts';
import { createRefund } from '../billing/refunds.ts';
import type { Ctx } from '../core/context.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import { CREATED_PARAM, EXPAND_ONLY, LIST_PARAMS } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';

export function registerPaymentRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  const piCreate = {
    ...EXPAND_ONLY,
    amount: 'value',
    currency: 'value',
    customer: 'value',
    description: 'value',
    payment_method: 'value',
    allowed_payment_method_types: 'value',
    metadata: 'free',
  } as const;
  api.post('/v1/payment_intents', { stripe: 'PaymentIntentCreateParams', params: piCreate }, ({ params }) => createApiPaymentIntent(ctx, params));
  api.post(
    '/v1/payment_intents/:id',
    { stripe: 'PaymentIntentUpdateParams', params: { ...EXPAND_ONLY, description: 'value', metadata: 'free' } },
    ({ params, path }) => updatePaymentIntent(ctx, store.paymentIntents.getOrThrow(path.id ?? ''), params),
  );
  api.post(
    '/v1/payment_intents/:id/confirm',
    { stripe: 'PaymentIntentConfirmParams', params: { ...EXPAND_ONLY, payment_method: 'value', return_url: 'value' } },
    ({ params, path }) => {
      const pi = store.paymentIntents.getOrThrow(path.id ?? '');
      const paymentMethod = params.string('payment_method');
      if (paymentMethod) store.paymentMethods.getOrThrow(paymentMethod, 'payment_method');
      return confirmApiPaymentIntent(ctx, pi, paymentMethod);
    },
  );
  api.get('/v1/payment_intents/:id', { stripe: 'PaymentIntentRetrieveParams', params: { ...EXPAND_ONLY, client_secret: 'value' } }, ({ path }) =>
    store.paymentIntents.getOrThrow(path.id ?? ''),
  );
  api.get('/v1/payment_intents', { stripe: 'PaymentIntentListParams', params: { ...LIST_PARAMS, ...CREATED_PARAM, customer: 'value' } }, ({ params }) => {
    const customer = params.string('customer');
    const items = store.paymentIntents.newestFirst().filter((p) => (!customer || p.customer === customer) && matchesCreated(p.created, params));
    return paginate(items, params, '/v1/payment_intents');
  });

  api.get('/v1/charges/:id', { stripe: 'ChargeRetrieveParams', params: EXPAND_ONLY }, ({ path }) => store.charges.getOrThrow(path.id ?? ''));
  const chargeList = { ...LIST_PARAMS, ...CREATED_PARAM, customer: 'value', payment_intent: 'value' } as const;
  api.get('/v1/charges', { stripe: 'ChargeListParams', params: chargeList }, ({ params }) => {
    const customer = params.string('customer');
    const paymentIntent = params.string('payment_intent');
    const items = store.charges
      .newestFirst()
      .filter((c) => (!customer || c.customer === customer) && (!paymentIntent || c.payment_intent === paymentIntent) && matchesCreated(c.created, params));
    return paginate(items, params, '/v1/charges');
  });

  const refundCreate = { ...EXPAND_ONLY, payment_intent: 'value', charge: 'value', amount: 'value', reason: 'value', metadata: 'free' } as const;
  api.post('/v1/refunds', { stripe: 'RefundCreateParams', params: refundCreate }, ({ params }) => createRefund(ctx, params));
  api.get('/v1/refunds/:id', { stripe: 'RefundRetrieveParams', params: EXPAND_ONLY }, ({ path }) => store.refunds.getOrThrow(path.id ?? ''));
  const refundList = { ...LIST_PARAMS, ...CREATED_PARAM, charge: 'value', payment_intent: 'value' } as const;
  api.get('/v1/refunds', { stripe: 'RefundListParams', params: refundList }, ({ params }) => {
    const charge = params.string('charge');
    const paymentIntent = params.string('payment_intent');
    const items = store.refunds
      .newestFirst()
      .filter((r) => (!charge || r.charge === charge) && (!paymentIntent || r.payment_intent === paymentIntent) && matchesCreated(r.created, params));
    return paginate(items, params, '/v1/refunds');
  });
}
