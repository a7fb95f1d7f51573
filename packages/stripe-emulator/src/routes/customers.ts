import type Stripe from 'stripe';
import { createCustomerRecord } from '../billing/customers.ts';
import { cancelNow } from '../billing/subscription-lifecycle.ts';
import type { Ctx } from '../core/context.ts';
import { noSuch } from '../core/errors.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import { CREATED_PARAM, EXPAND_ONLY, LIST_PARAMS, type ParamShape } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';
import { assignChanged } from './changes.ts';

const CUSTOMER_FIELDS = { ...EXPAND_ONLY, email: 'value', name: 'value', description: 'value', phone: 'value', metadata: 'free' } as const satisfies ParamShape;

export function registerCustomerRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  api.post('/v1/customers', { stripe: 'CustomerCreateParams', params: { ...CUSTOMER_FIELDS, test_clock: 'value' } }, ({ params }) => {
    const clockId = params.string('test_clock');
    // A customer on a test clock is created at the clock's frozen time.
    const clock = clockId ? store.testClocks.getOrThrow(clockId, 'test_clock') : undefined;
    const create = () => {
      const batch = ctx.events.batch();
      const customer = createCustomerRecord(
        ctx,
        {
          email: params.nullableString('email') ?? null,
          name: params.nullableString('name') ?? null,
          description: params.nullableString('description') ?? null,
          phone: params.nullableString('phone') ?? null,
          metadata: params.metadata(),
          testClock: clock?.id ?? null,
        },
        batch,
      );
      batch.commit();
      return customer;
    };
    return clock ? ctx.clock.runPinned(clock.frozen_time, create) : create();
  });

  // A deleted customer still answers retrieve, as a stub with deleted: true.
  api.get('/v1/customers/:id', { stripe: 'CustomerRetrieveParams', params: EXPAND_ONLY }, ({ path }) => {
    const id = path.id ?? '';
    if (store.deletedCustomers.has(id)) return { id, object: 'customer', deleted: true } satisfies Stripe.DeletedCustomer;
    return store.customers.getOrThrow(id);
  });

  const customerUpdate = { ...CUSTOMER_FIELDS, invoice_settings: { default_payment_method: 'value' } } as const;
  api.post('/v1/customers/:id', { stripe: 'CustomerUpdateParams', params: customerUpdate }, ({ params, path }) => {
    const customer = store.customers.getOrThrow(path.id ?? '');
    const defaultPm = params.object('invoice_settings')?.nullableString('default_payment_method');
    if (defaultPm) store.paymentMethods.getOrThrow(defaultPm, 'invoice_settings[default_payment_method]');
    const previous = assignChanged(customer, {
      email: params.nullableString('email'),
      name: params.nullableString('name'),
      description: params.nullableString('description'),
      phone: params.nullableString('phone'),
      metadata: params.has('metadata') ? params.metadata(customer.metadata) : undefined,
      invoice_settings: defaultPm === undefined ? undefined : { ...customer.invoice_settings, default_payment_method: defaultPm },
    });
    if (previous) ctx.events.emit('customer.updated', customer, previous);
    return customer;
  });

  api.delete('/v1/customers/:id', { stripe: 'CustomerDeleteParams', params: {} }, ({ path }) => deleteCustomer(ctx, path.id ?? ''));

  // Like Stripe, customers on a test clock are listed only when that clock is asked for.
  const customerList = { ...LIST_PARAMS, ...CREATED_PARAM, email: 'value', test_clock: 'value' } as const;
  api.get('/v1/customers', { stripe: 'CustomerListParams', params: customerList }, ({ params }) => {
    const email = params.string('email');
    const clock = params.string('test_clock') ?? null;
    const items = store.customers
      .newestFirst()
      .filter((c) => (!email || c.email === email) && (c.test_clock ?? null) === clock && matchesCreated(c.created, params));
    return paginate(items, params, '/v1/customers');
  });

  api.get('/v1/payment_methods/:id', { stripe: 'PaymentMethodRetrieveParams', params: EXPAND_ONLY }, ({ path }) =>
    store.paymentMethods.getOrThrow(path.id ?? ''),
  );
  api.get('/v1/customers/:id/payment_methods', { stripe: 'CustomerListPaymentMethodsParams', params: LIST_PARAMS }, ({ params, path }) => {
    const id = path.id ?? '';
    if (!store.customers.get(id)) throw noSuch('customer', id);
    return paginate(
      store.paymentMethods.newestFirst().filter((pm) => pm.customer === id),
      params,
      `/v1/customers/${id}/payment_methods`,
    );
  });
}

/** Deleting a customer cancels its subscriptions immediately, as Stripe does; retrieve then answers a stub. */
export function deleteCustomer(ctx: Ctx, id: string): Stripe.DeletedCustomer {
  const { store } = ctx;
  const customer = store.customers.getOrThrow(id);
  const batch = ctx.events.batch();
  for (const sub of store.subscriptions.newestFirst()) {
    if (sub.customer === customer.id && sub.status !== 'canceled') cancelNow(ctx, sub, batch, 'cancellation_requested');
  }
  store.customers.delete(customer.id);
  store.deletedCustomers.add(customer.id);
  batch.add('customer.deleted', customer).commit();
  return { id: customer.id, object: 'customer', deleted: true };
}
