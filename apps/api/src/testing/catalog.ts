import { createPlan, createPlanWithStripePrice } from '@aquoris/core';
import { afterAll, beforeAll } from 'vitest';
import { TEST_ACTOR } from './index.ts';
import { startPrivateRedis, type PrivateRedis } from './redis-server.ts';
import { startStripeTestStack, type StripeTestStack, type StripeTestStackOptions, type Subscriber } from './stripe.ts';
import { waitFor } from './wait.ts';

export const CARD_OK = '4242424242424242';
export const CARD_DECLINED = '4000000000000002';

/** An app and four plans: free, pro and team (monthly, with Stripe prices), trial (7 days free). */
export async function createCatalog(stack: StripeTestStack) {
  const deps = stack.api.server.deps;
  const app = await stack.api.createApp();
  const monthly = { currency: 'thb', interval: 'month' } as const;
  const free = await createPlan(deps, TEST_ACTOR, { slug: 'free', name: 'Free', priceAmount: 0, ...monthly });
  const pro = await createPlanWithStripePrice(deps, TEST_ACTOR, { slug: 'pro', name: 'PRO', priceAmount: 29900, ...monthly });
  const team = await createPlanWithStripePrice(deps, TEST_ACTOR, { slug: 'team', name: 'Team', priceAmount: 99900, ...monthly });
  const trial = await createPlanWithStripePrice(deps, TEST_ACTOR, { slug: 'trial', name: 'Trial PRO', priceAmount: 19900, trialDays: 7, ...monthly });
  return { app, plans: { free, pro, team, trial } };
}

export type Catalog = Awaited<ReturnType<typeof createCatalog>>;

/**
 * The Stripe test stack and catalog a test file shares: started before its
 * tests, closed after them. `use` receives both once they are up.
 */
export function useStripeCatalog(use: (stack: StripeTestStack, catalog: Catalog) => void, options?: StripeTestStackOptions): void {
  let stack: StripeTestStack | undefined;
  beforeAll(async () => {
    stack = await startStripeTestStack(options);
    use(stack, await createCatalog(stack));
  });
  afterAll(() => stack?.close());
}

export const sessionIdOf = (url: string) => /\/(cs_[A-Za-z0-9_]+)/.exec(url)?.[1] ?? '';

/** Pays a Checkout Session the way the hosted page does. */
export async function payCheckout(stack: StripeTestStack, url: string, card = CARD_OK) {
  const paid = await stack.control('POST', `/checkout_sessions/${sessionIdOf(url)}/pay`, { card, email: 'buyer@example.com' });
  if (paid.status !== 200) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
  return paid.body as { id: string; subscription: string };
}

/** checkout.create → pay → wait until the webhook made the subscription visible to client apps. */
export async function subscribe(stack: StripeTestStack, sub: Subscriber, planSlug: string) {
  const created = await sub.mutate('billing.checkout.create', { planSlug });
  if (created.kind !== 'redirect') throw new Error(`expected a redirect, got ${created.kind}`);
  const session = await payCheckout(stack, created.url);
  const eligibility = await waitFor(
    async () => {
      const e = await sub.eligibility();
      return e.base?.plan.slug === planSlug ? e : null;
    },
    { what: `${planSlug} to become current` },
  );
  return { session, eligibility, stripeSubscriptionId: session.subscription };
}

/** Waits until every stored Stripe event has been processed (and the emulator has nothing left to deliver). */
export async function settle(stack: StripeTestStack) {
  await stack.emulator.flushWebhooks(10_000);
  await waitFor(async () => (await stack.api.prisma.stripeEvent.count({ where: { status: { not: 'PROCESSED' } } })) === 0, {
    what: 'events to be processed',
  });
}

/**
 * useStripeCatalog on a private Redis server (redis-server.ts) that the test may stop, start or flush:
 * started before the stack, and stopped after it (which closes its queues cleanly only with Redis there).
 */
export function useStripeCatalogOnPrivateRedis(use: (stack: StripeTestStack, catalog: Catalog, redis: PrivateRedis) => void): void {
  let redis: PrivateRedis | undefined;
  let stack: StripeTestStack | undefined;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    stack = await startStripeTestStack({ env: { REDIS_URL: redis.url } });
    use(stack, await createCatalog(stack), redis);
  }, 120_000);
  afterAll(async () => {
    await redis?.start();
    await stack?.close();
    await redis?.stop();
  });
}

export { startStripeTestStack, type StripeTestStack } from './stripe.ts';
