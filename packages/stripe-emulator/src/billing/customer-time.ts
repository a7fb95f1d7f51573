import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';

// A customer attached to a test clock lives at the clock's frozen time: what an API request does
// for it (a checkout, a plan change, a payment) is dated at that time, not at the emulator's now.

/** The test clock a customer belongs to, if any. */
export function clockOfCustomer(ctx: Ctx, customerId: string | null | undefined): Stripe.TestHelpers.TestClock | undefined {
  const customer = customerId ? ctx.store.customers.get(customerId) : undefined;
  const clockId = typeof customer?.test_clock === 'string' ? customer.test_clock : customer?.test_clock?.id;
  return clockId ? ctx.store.testClocks.get(clockId) : undefined;
}

/** Runs `fn` at the customer's time: its test clock's frozen time, or the emulator's now. */
export function atCustomerTime<T>(ctx: Ctx, customerId: string | null | undefined, fn: () => T): T {
  const clock = clockOfCustomer(ctx, customerId);
  return clock ? ctx.clock.runPinned(clock.frozen_time, fn) : fn();
}
