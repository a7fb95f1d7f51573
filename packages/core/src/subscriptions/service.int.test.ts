import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../clock.ts';
import { createPlan } from '../plans/service.ts';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { createTestApp } from '../testing/factories.ts';
import { eligibilitySnapshot, expireLapsedSubscriptions, getEligibility, grantManualSubscription } from './service.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;
const monthly = { currency: 'thb', interval: 'month' } as const;

const setup = async (slug: string) => (await createTestApp(deps(), slug)).actor;

describe('subscriptions service', () => {
  it('grants a manual subscription that eligibility shows, and a second grant extends it', async () => {
    const actor = await setup('granting');
    await createPlan(deps(), ops, { slug: 'pro', name: 'PRO', priceAmount: 29900, stripePriceId: 'price_placeholder_pro', ...monthly });
    const first = await grantManualSubscription(deps(), ops, { appSlug: 'granting', externalUserId: 'u1', planSlug: 'pro', days: 10 });
    const second = await grantManualSubscription(deps(), ops, { appSlug: 'granting', externalUserId: 'u1', planSlug: 'pro', days: 5 });
    expect(second.id).toBe(first.id);
    expect(new Date(second.currentPeriodEnd).getTime() - new Date(first.currentPeriodEnd).getTime()).toBe(5 * DAY_MS);
    const eligibility = await getEligibility(deps(), actor, 'u1');
    expect(eligibility.base).toMatchObject({ status: 'ACTIVE', source: 'MANUAL', plan: { slug: 'pro', name: 'PRO', interval: 'month' } });
    expect(eligibility.base?.currentPeriodEnd).toBe(second.currentPeriodEnd);
  });

  it('another app never sees the grant; an unknown user has no base', async () => {
    await setup('other-app');
    const other = await setup('onlooker');
    expect((await getEligibility(deps(), other, 'u1')).base).toBeNull();
    expect(await rejectionStatus(grantManualSubscription(deps(), ops, { appSlug: 'nope', externalUserId: 'u1', planSlug: 'pro', days: 1 }))).toBe(404);
  });

  it('a lapsed grant stops counting at once and the expiry job then marks it EXPIRED', async () => {
    const actor = await setup('lapsing');
    await grantManualSubscription(deps(), ops, { appSlug: 'lapsing', externalUserId: 'u2', planSlug: 'pro', days: 1 });
    deps().clock.advance(2 * DAY_MS);
    expect((await getEligibility(deps(), actor, 'u2')).base).toBeNull();
    expect(await expireLapsedSubscriptions(deps())).toBeGreaterThanOrEqual(1);
    const statuses = await deps().db.kysely.selectFrom('subscriptions').select('status').where('appId', '=', actor.appId).execute();
    expect(statuses).toEqual([{ status: 'EXPIRED' }]);
    expect(await expireLapsedSubscriptions(deps())).toBe(0);
  });

  it('a paid grant ends a free-plan subscription', async () => {
    const actor = await setup('upgrading');
    await createPlan(deps(), ops, { slug: 'free', name: 'Free', priceAmount: 0, ...monthly });
    await grantManualSubscription(deps(), ops, { appSlug: 'upgrading', externalUserId: 'u3', planSlug: 'free', days: 30 });
    await grantManualSubscription(deps(), ops, { appSlug: 'upgrading', externalUserId: 'u3', planSlug: 'pro', days: 30 });
    expect((await getEligibility(deps(), actor, 'u3')).base?.plan.slug).toBe('pro');
    const rows = await deps().db.kysely.selectFrom('subscriptions').select(['status']).where('appId', '=', actor.appId).orderBy('createdAt').execute();
    expect(rows.map((r) => r.status).sort()).toEqual(['ACTIVE', 'CANCELED']);
  });

  it('the snapshot pages through every customer with a current base subscription', async () => {
    const actor = await setup('snapshot');
    for (const user of ['s1', 's2', 's3']) await grantManualSubscription(deps(), ops, { appSlug: 'snapshot', externalUserId: user, planSlug: 'pro', days: 30 });
    const seen: string[] = [];
    for await (const row of eligibilitySnapshot(deps(), 2)) if (row.appId === actor.appId) seen.push(row.externalUserId);
    expect(seen.sort()).toEqual(['s1', 's2', 's3']);
  });
});
