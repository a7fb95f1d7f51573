import type Stripe from 'stripe';
import { snapshot } from '../core/clone.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { requestContext } from '../core/request-context.ts';
import { runDueWork } from './renewals.ts';
import { SECONDS_PER_DAY } from './periods.ts';

// Stripe's test clocks: a customer attached to one lives at the clock's frozen time. Its objects are
// dated at that time, the emulator's own clock advances leave it alone, and advancing the test clock
// runs its due work (renewals, retries, trial notices) the same way a clock advance does.

export function createTestClock(ctx: Ctx, input: { frozenTime: number; name: string | null; customer?: string }): Stripe.TestHelpers.TestClock {
  const customer = input.customer ? ctx.store.customers.getOrThrow(input.customer, 'customer') : undefined;
  if (customer?.test_clock) throw invalidRequest(`Customer ${customer.id} is already attached to a test clock.`, 'customer');
  const now = ctx.clock.now();
  const clock: Stripe.TestHelpers.TestClock = {
    id: newId('clock'),
    object: 'test_helpers.test_clock',
    created: now,
    deletes_after: now + 30 * SECONDS_PER_DAY,
    frozen_time: input.frozenTime,
    livemode: false,
    name: input.name,
    status: 'ready',
    status_details: {},
  };
  ctx.store.testClocks.set(clock);
  if (customer) customer.test_clock = clock.id;
  ctx.events.emit('test_helpers.test_clock.created', clock);
  return clock;
}

/**
 * Answers with the clock `advancing` (as Stripe does), then moves it: due work for its customers runs
 * in time order with the clock pinned to each due moment, and the clock turns `ready` at the target.
 */
export function advanceTestClock(
  ctx: Ctx,
  clock: Stripe.TestHelpers.TestClock,
  frozenTime: number,
  onError: (error: unknown) => void,
): Stripe.TestHelpers.TestClock {
  if (clock.status === 'advancing')
    throw invalidRequest('This test clock is already advancing; wait until its status is ready.', undefined, 'test_clock_advancing');
  if (frozenTime <= clock.frozen_time) {
    throw invalidRequest(`The frozen_time must be after the test clock's current frozen_time (${clock.frozen_time}).`, 'frozen_time');
  }
  clock.status = 'advancing';
  clock.status_details = { advancing: { target_frozen_time: frozenTime } };
  ctx.events.emit('test_helpers.test_clock.advancing', clock);
  const answer = snapshot(clock);
  // Work done by the advance is not caused by the request: its events carry no request id.
  setImmediate(() => requestContext.exit(() => finishAdvance(ctx, clock, frozenTime, onError)));
  return answer;
}

function finishAdvance(ctx: Ctx, clock: Stripe.TestHelpers.TestClock, target: number, onError: (error: unknown) => void): void {
  if (!ctx.store.testClocks.get(clock.id)) return;
  try {
    runDueWork(ctx, { from: clock.frozen_time, to: target, clockId: clock.id });
    clock.frozen_time = target;
    clock.status = 'ready';
    clock.status_details = {};
    ctx.clock.runPinned(target, () => ctx.events.emit('test_helpers.test_clock.ready', clock));
  } catch (error) {
    onError(error);
    clock.status = 'internal_failure';
    clock.status_details = {};
    ctx.events.emit('test_helpers.test_clock.internal_failure', clock);
  }
}
