import { describe, expect, it } from 'vitest';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { createPlan, getActivePlanBySlugOrThrow, getPlanBySlugOrThrow, listPublicPlans } from './service.ts';
import { listBillingPlans } from '../billing/service.ts';
import { customers } from '@aquoris/db';
import { createApp } from '../apps/service.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;
const monthly = { currency: 'thb', interval: 'month' } as const;

describe('plans service', () => {
  it('lists active plans only, in display order (then price, then slug)', async () => {
    await createPlan(deps(), ops, { slug: 'team', name: 'Team', priceAmount: 99900, displayOrder: 5, stripePriceId: 'price_team', ...monthly });
    await createPlan(deps(), ops, { slug: 'pro', name: 'PRO', priceAmount: 29900, displayOrder: 5, stripePriceId: 'price_pro', ...monthly });
    await createPlan(deps(), ops, { slug: 'free', name: 'Free', priceAmount: 0, displayOrder: 1, ...monthly });
    await createPlan(deps(), ops, { slug: 'legacy', name: 'Legacy', priceAmount: 100, active: false, ...monthly });
    expect((await listPublicPlans(deps())).plans.map((p) => p.slug)).toEqual(['free', 'pro', 'team']);
  });

  it('a plan without a display order goes after the existing ones', async () => {
    const before = (await listPublicPlans(deps())).plans.length;
    const plan = await createPlan(deps(), ops, { slug: 'later', name: 'Later', priceAmount: 500, stripePriceId: 'price_later', ...monthly });
    expect(plan.displayOrder).toBeGreaterThanOrEqual(before);
    expect(plan.trialDays).toBe(0);
  });

  it('refuses a duplicate slug (409); an inactive plan is not offered but still found by operators', async () => {
    expect(await rejectionStatus(createPlan(deps(), ops, { slug: 'pro', name: 'Again', priceAmount: 1, stripePriceId: 'price_again', ...monthly }))).toBe(409);
    expect(await rejectionStatus(getActivePlanBySlugOrThrow(deps(), 'legacy'))).toBe(404);
    expect((await getPlanBySlugOrThrow(deps(), 'legacy')).active).toBe(false);
  });

  it('refuses an active paid plan without a Stripe price; inactive, free or with a price is fine', async () => {
    const refused = createPlan(deps(), ops, { slug: 'priceless', name: 'Priceless', priceAmount: 9900, ...monthly });
    await expect(refused).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('--create-stripe-price') });
    expect(await getPlanBySlugOrThrow(deps(), 'priceless').catch((e: { code: string }) => e.code)).toBe('PLAN_NOT_FOUND');
    expect((await createPlan(deps(), ops, { slug: 'draft', name: 'Draft', priceAmount: 9900, active: false, ...monthly })).stripePriceId).toBeNull();
    expect((await createPlan(deps(), ops, { slug: 'gratis', name: 'Gratis', priceAmount: 0, ...monthly })).active).toBe(true);
    // createPlanWithStripePrice (--create-stripe-price) creates it first and gives it the price next.
    expect((await createPlan(deps(), ops, { slug: 'priced-next', name: 'Next', priceAmount: 9900, ...monthly }, { stripePriceToFollow: true })).active).toBe(
      true,
    );
  });

  it('the billing pages offer only plans a subscriber can buy: never a paid plan without a price', async () => {
    const { app } = await createApp(deps(), ops, { slug: 'offers', name: 'Offers', returnUrl: 'https://offers.example.com' });
    const customer = await customers.upsert(deps().db.kysely, app.id, 'buyer', {});
    const actor = { type: 'subscriber', appId: app.id, customerId: customer.id } as const;
    const offered = (await listBillingPlans(deps(), actor)).plans.map((p) => p.slug);
    expect(offered).toContain('gratis');
    expect(offered).toContain('pro');
    expect(offered).not.toContain('priced-next'); // paid, active, its price never came
    expect(offered).not.toContain('draft');
  });
});
