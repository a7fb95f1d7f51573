import { customers } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { getBillingSubscription, listBillingPlans } from '../billing/service.ts';
import { createPlan } from '../plans/service.ts';
import { grantManualSubscription } from '../subscriptions/service.ts';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { createTestApp } from '../testing/factories.ts';
import { createCheckout } from './service.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;
const monthly = { currency: 'thb', interval: 'month' } as const;

async function subscriber(slug: string, externalUserId: string) {
  const { app } = await createTestApp(deps(), slug);
  const customer = await customers.upsert(deps().db.kysely, app.id, externalUserId, {});
  return { type: 'subscriber', appId: app.id, customerId: customer.id } as const;
}

describe('checkout of a free plan (no Stripe)', () => {
  it('activates an open-ended free plan; taking it again returns the same subscription', async () => {
    await createPlan(deps(), ops, { slug: 'free', name: 'Free', priceAmount: 0, ...monthly });
    await createPlan(deps(), ops, { slug: 'pro', name: 'PRO', priceAmount: 29900, stripePriceId: 'price_placeholder_pro', ...monthly });
    const actor = await subscriber('freebie', 'f1');
    const first = await createCheckout(deps(), actor, { planSlug: 'free' });
    const again = await createCheckout(deps(), actor, { planSlug: 'free' });
    expect(first).toMatchObject({ kind: 'activated', subscription: { status: 'ACTIVE', source: 'MANUAL', free: true, openEnded: true } });
    expect(again.kind === 'activated' && first.kind === 'activated' && again.subscription.id).toBe(first.kind === 'activated' && first.subscription.id);
    expect((await getBillingSubscription(deps(), actor)).subscription?.plan.slug).toBe('free');
    const plans = await listBillingPlans(deps(), actor);
    expect(plans.plans.map((p) => [p.slug, p.current])).toEqual([
      ['free', true],
      ['pro', false],
    ]);
  });

  it('refuses the free plan (409) while a paid plan is current', async () => {
    const actor = await subscriber('paying', 'p1');
    await grantManualSubscription(deps(), ops, { appSlug: 'paying', externalUserId: 'p1', planSlug: 'pro', days: 30 });
    expect(await rejectionStatus(createCheckout(deps(), actor, { planSlug: 'free' }))).toBe(409);
    // A paid plan arranged with the app's team cannot be bought over either.
    expect(await rejectionStatus(createCheckout(deps(), actor, { planSlug: 'pro' }))).toBe(409);
  });

  it('an unknown plan is a 404', async () => {
    const actor = await subscriber('lost', 'l1');
    expect(await rejectionStatus(createCheckout(deps(), actor, { planSlug: 'missing' }))).toBe(404);
  });
});
