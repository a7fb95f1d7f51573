import type Stripe from 'stripe';
import { advanceTestClock, createTestClock } from '../billing/test-clocks.ts';
import type { Ctx } from '../core/context.ts';
import { EXPAND_ONLY, LIST_PARAMS } from '../core/params.ts';
import { paginate } from '../core/list.ts';
import type { ApiRoutes } from '../http/api-routes.ts';
import { deleteCustomer } from './customers.ts';

export function registerTestClockRoutes(api: ApiRoutes, ctx: Ctx, onError: (error: unknown) => void): void {
  const { store } = ctx;
  const base = '/v1/test_helpers/test_clocks';

  const create = { ...EXPAND_ONLY, frozen_time: 'value', name: 'value', customer: 'value' } as const;
  api.post(base, { stripe: 'TestHelpers.TestClockCreateParams', params: create }, ({ params }) =>
    createTestClock(ctx, { frozenTime: params.requiredInt('frozen_time'), name: params.string('name') ?? null, customer: params.string('customer') }),
  );
  api.get(`${base}/:id`, { stripe: 'TestHelpers.TestClockRetrieveParams', params: EXPAND_ONLY }, ({ path }) => store.testClocks.getOrThrow(path.id ?? ''));
  api.get(base, { stripe: 'TestHelpers.TestClockListParams', params: LIST_PARAMS }, ({ params }) => paginate(store.testClocks.newestFirst(), params, base));
  api.post(`${base}/:id/advance`, { stripe: 'TestHelpers.TestClockAdvanceParams', params: { ...EXPAND_ONLY, frozen_time: 'value' } }, ({ params, path }) =>
    advanceTestClock(ctx, store.testClocks.getOrThrow(path.id ?? ''), params.requiredInt('frozen_time'), onError),
  );
  // Deleting a test clock deletes its customers, which cancels their subscriptions.
  api.delete(`${base}/:id`, { stripe: 'TestHelpers.TestClockDeleteParams', params: {} }, ({ path }) => {
    const clock = store.testClocks.getOrThrow(path.id ?? '');
    for (const customer of store.customers.newestFirst()) {
      if (customer.test_clock === clock.id) ctx.clock.runPinned(clock.frozen_time, () => deleteCustomer(ctx, customer.id));
    }
    store.testClocks.delete(clock.id);
    ctx.events.emit('test_helpers.test_clock.deleted', clock);
    return { id: clock.id, object: 'test_helpers.test_clock', deleted: true } satisfies Stripe.TestHelpers.DeletedTestClock;
  });
}
