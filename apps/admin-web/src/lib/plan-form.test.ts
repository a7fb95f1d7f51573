import { describe, expect, it } from 'vitest';
import { PlanFormSchema, planFormDefaults } from './plan-form.ts';

const base = { slug: 'pro', name: 'Pro', priceAmount: 29900, currency: 'thb', interval: 'month', stripePriceId: 'price_m' } as const;

describe('plan form: the second price', () => {
  it('is typed in major units and sent in minor units', () => {
    const parsed = PlanFormSchema.parse({ ...base, otherPrice: { priceAmount: '2,990.00', currency: 'thb', stripePriceId: 'price_y' } });
    expect(parsed.otherPrice).toEqual({ priceAmount: 299000, currency: 'thb', stripePriceId: 'price_y' });
    expect(PlanFormSchema.parse({ ...base, otherPrice: null }).otherPrice).toBeNull();
  });

  it('a wrong amount is named on its own field', () => {
    const result = PlanFormSchema.safeParse({ ...base, otherPrice: { priceAmount: '29.999', currency: 'thb', stripePriceId: null } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['otherPrice', 'priceAmount'], message: 'THB has 2 decimal places; "29.999" has 3' });
  });

  it("an edit starts from the plan's other price, in major units", () => {
    const view = {
      id: 'plan_1',
      ...base,
      prices: [
        { interval: 'month', priceAmount: 29900, currency: 'thb', stripePriceId: 'price_m' },
        { interval: 'year', priceAmount: 299000, currency: 'thb', stripePriceId: 'price_y' },
      ],
      active: true,
      createdAt: '2026-01-01T00:00:00.000Z',
    } as const;
    expect(planFormDefaults({ ...view, prices: [...view.prices] }).otherPrice).toEqual({ priceAmount: '2990.00', currency: 'thb', stripePriceId: 'price_y' });
    expect(planFormDefaults({ ...view, prices: [view.prices[0]] }).otherPrice).toBeNull();
  });
});
