import { recordStripeEvent, type Deps } from '@aquoris/core';
import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { StripeTestStack } from './stripe.ts';

type Retrieve = Stripe['subscriptions']['retrieve'];

/**
 * `deps` with a Stripe client that counts subscription re-reads. `answer`, when given, sees each read's
 * promise (the request is already sent) and returns what the caller gets: a test can hold an answer back.
 */
export function countingDeps(
  deps: Deps,
  answer?: (read: Promise<Stripe.Response<Stripe.Subscription>>) => Promise<Stripe.Response<Stripe.Subscription>>,
): { deps: Deps; reads: () => number } {
  const real = deps.stripe as Stripe;
  let reads = 0;
  const subscriptions = Object.create(real.subscriptions) as Stripe['subscriptions'];
  subscriptions.retrieve = ((...args: Parameters<Retrieve>) => {
    reads++;
    const read = real.subscriptions.retrieve(...args);
    return answer ? answer(read) : read;
  }) as Retrieve;
  const stripe = Object.create(real) as Stripe;
  Object.defineProperty(stripe, 'subscriptions', { value: subscriptions });
  return { deps: { ...deps, stripe }, reads: () => reads };
}

/** Stores events about one subscription the way the endpoint does (not queued: the test processes them). */
export async function storeSubscriptionEvents(deps: Deps, prefix: string, stripeSubscriptionId: string, types: string[]): Promise<string[]> {
  const ids = types.map((_, i) => `evt_${prefix}_${i}`);
  for (const [i, type] of types.entries()) {
    const outcome = await recordStripeEvent(deps, {
      id: ids[i]!,
      type,
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: stripeSubscriptionId, object: 'subscription' } },
    });
    expect(outcome).toEqual({ action: 'enqueue', object: { kind: 'subscription', objectId: stripeSubscriptionId } });
  }
  return ids;
}

/** Runs `run` with an emulator webhook fault switched on (e.g. {"mode":"drop_then_replay"}), and off again after. */
export async function withWebhookFault<T>(stack: StripeTestStack, fault: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  await stack.control('POST', '/webhooks/faults', fault);
  try {
    return await run();
  } finally {
    await stack.control('DELETE', '/webhooks/faults');
  }
}
