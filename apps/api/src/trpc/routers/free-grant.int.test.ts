import { expireLapsedSubscriptions } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../testing/index.ts';
import { openSubscriber } from '../../testing/subscriber.ts';

// A free plan granted by an operator for some days, beside one the subscriber took themselves: both are
// MANUAL subscriptions to a price-0 plan, but only the one taken is open-ended. No Stripe: free plans never
// use it. The API's clock is moved past the grant's end.

const DAY = 86_400_000;
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
let api: TestApi;
let app: { apiKey: string; slug: string };

beforeAll(async () => {
  api = await startTestApi({ clock });
  app = await api.createApp({ slug: 'vega' });
  await api.createPlan({ slug: 'free', name: 'Free', priceAmount: 0, currency: 'thb', interval: 'month' });
  await api.createPlan({ slug: 'pro', name: 'Pro', priceAmount: 29900, currency: 'thb', interval: 'month' });
});
afterAll(() => api?.close());

describe('a free plan granted for some days', () => {
  it('reads as free with its end date (not open-ended) and lapses then like any grant, while a free plan taken stays open-ended', async () => {
    const granted = (await api.grantSubscription({ appSlug: 'vega', externalUserId: 'gus', planSlug: 'free', days: 30, reason: 'pilot' })) as {
      currentPeriodEnd: string;
    };
    expect(new Date(granted.currentPeriodEnd).getTime() - clock.now().getTime()).toBeLessThanOrEqual(30 * DAY);
    const gus = await openSubscriber(api, app, 'gus');
    expect((await gus.query('billing.subscription.get')).subscription).toMatchObject({
      source: 'MANUAL',
      free: true,
      openEnded: false,
      manageable: false,
      currentPeriodEnd: granted.currentPeriodEnd,
      plan: { slug: 'free', priceAmount: 0 },
    });
    expect((await gus.eligibility()).base).toMatchObject({
      status: 'ACTIVE',
      source: 'MANUAL',
      plan: { slug: 'free' },
      currentPeriodEnd: granted.currentPeriodEnd,
    });

    const hal = await openSubscriber(api, app, 'hal');
    await hal.mutate('billing.checkout.create', { planSlug: 'free' });
    const taken = (await hal.query('billing.subscription.get')).subscription;
    expect(taken).toMatchObject({ source: 'MANUAL', free: true, openEnded: true, plan: { slug: 'free' } });

    await api.grantSubscription({ appSlug: 'vega', externalUserId: 'ivy', planSlug: 'pro', days: 30 });
    const ivy = await openSubscriber(api, app, 'ivy');
    expect((await ivy.query('billing.subscription.get')).subscription).toMatchObject({
      source: 'MANUAL',
      free: false,
      openEnded: false,
      plan: { slug: 'pro' },
    });

    // A day past the grant's end: gone from eligibility and the billing view at once, then expired by the job.
    // (Sessions last hours: each subscriber comes back through a new link.)
    clock.offsetMs += 31 * DAY;
    await api.server.eligibilityCache.sync();
    const gusLater = await openSubscriber(api, app, 'gus');
    expect((await gusLater.eligibility()).base).toBeNull();
    expect((await gusLater.query('billing.subscription.get')).subscription).toBeNull();
    await expireLapsedSubscriptions(api.server.deps); // (the worker's scheduled run may have been first)
    const rows = await api.server.deps.db.prisma.subscription.findMany({ include: { customer: true } });
    expect(Object.fromEntries(rows.map((r) => [r.customer.externalUserId, r.status]))).toEqual({ gus: 'EXPIRED', hal: 'ACTIVE', ivy: 'EXPIRED' });
    const halLater = await openSubscriber(api, app, 'hal');
    expect((await halLater.query('billing.subscription.get')).subscription).toMatchObject({ id: taken.id, free: true, openEnded: true });
    expect((await halLater.eligibility()).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'free' } });
  });
});
