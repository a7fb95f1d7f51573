import { describe, expect, it } from 'vitest';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { createPlan, getActivePlanBySlugOrThrow, getPlanBySlugOrThrow, listPublicPlans } from './service.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;
const monthly = { currency: 'thb', interval: 'month' } as const;

describe('plans service', () => {
  it('lists active plans only, in display order (then price, then slug)', async () => {
    await createPlan(deps(), ops, { slug: 'team', name: 'Team', priceAmount: 99900, displayOrder: 5, ...monthly });
    await createPlan(deps(), ops, { slug: 'pro', name: 'PRO', priceAmount: 29900, displayOrder: 5, ...monthly });
    await createPlan(deps(), ops, { slug: 'free', name: 'Free', priceAmount: 0, displayOrder: 1, ...monthly });
    await createPlan(deps(), ops, { slug: 'legacy', name: 'Legacy', priceAmount: 100, active: false, ...monthly });
    expect((await listPublicPlans(deps())).plans.map((p) => p.slug)).toEqual(['free', 'pro', 'team']);
  });

  it('a plan without a display order goes after the existing ones', async () => {
    const before = (await listPublicPlans(deps())).plans.length;
    const plan = await createPlan(deps(), ops, { slug: 'later', name: 'Later', priceAmount: 500, ...monthly });
    expect(plan.displayOrder).toBeGreaterThanOrEqual(before);
    expect(plan.trialDays).toBe(0);
  });

  it('refuses a duplicate slug (409); an inactive plan is not offered but still found by operators', async () => {
    expect(await rejectionStatus(createPlan(deps(), ops, { slug: 'pro', name: 'Again', priceAmount: 1, ...monthly }))).toBe(409);
    expect(await rejectionStatus(getActivePlanBySlugOrThrow(deps(), 'legacy'))).toBe(404);
    expect((await getPlanBySlugOrThrow(deps(), 'legacy')).active).toBe(false);
  });
});
