import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAdmin, type TestAdmin } from '../../../testing/admin.ts';
import { startStripeTestStack, type StripeTestStack } from '../../../testing/stripe.ts';

let stack: StripeTestStack;
let admin: TestAdmin;
let monthly: string;
beforeAll(async () => {
  stack = await startStripeTestStack();
  admin = await signedInAdmin(stack.api);
  const product = await stack.stripe.products.create({ name: 'Pro' });
  monthly = (await stack.stripe.prices.create({ product: product.id, unit_amount: 29900, currency: 'thb', recurring: { interval: 'month' } })).id;
});
afterAll(() => stack?.close());

const pro = (overrides: Record<string, unknown> = {}) => ({
  slug: 'pro',
  name: 'Aquoris PRO',
  priceAmount: 29900,
  currency: 'thb',
  interval: 'month',
  stripePriceId: null,
  ...overrides,
});

describe('admin.plans: a Stripe Price ID is checked against Stripe on save', () => {
  it('each disagreement is named on its field, and nothing is written', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ stripePriceId: 'price_does_not_exist' }, 'stripePriceId', /is not a price in Stripe/],
      [{ stripePriceId: monthly, priceAmount: 19900 }, 'priceAmount', /29900/],
      [{ stripePriceId: monthly, currency: 'usd' }, 'currency', /THB/],
      [{ stripePriceId: monthly, interval: 'year' }, 'interval', /month/],
    ];
    for (const [overrides, field, message] of cases) {
      const res = await admin.mutate('admin.plans.create', pro(overrides));
      expect(res.status).toBe(409);
      expect(res.error?.data.appCode).toBe('STRIPE_PRICE_MISMATCH');
      expect(Object.keys(res.error?.data.fieldErrors ?? {})).toEqual([field]);
      expect(res.error?.data.fieldErrors?.[field]).toMatch(message);
    }
    expect(await stack.api.prisma.plan.count({ where: { slug: 'pro' } })).toBe(0);
  });

  it('a matching price saves; the list shows inactive plans too; deactivate and reactivate are audited', async () => {
    const created = await admin.mutate('admin.plans.create', pro({ stripePriceId: monthly }));
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ slug: 'pro', stripePriceId: monthly, active: true });
    expect((await admin.mutate('admin.plans.update', pro({ stripePriceId: monthly, currency: 'usd' }))).status).toBe(409);
    expect((await admin.mutate('admin.plans.setActive', { slug: 'pro', active: false })).data.active).toBe(false);
    const list = await admin.query('admin.plans.list');
    expect(list.data).toEqual([expect.objectContaining({ slug: 'pro', active: false })]);
    expect((await admin.mutate('admin.plans.setActive', { slug: 'pro', active: true })).data.active).toBe(true);
    const actions = (await stack.api.prisma.auditLog.findMany({ where: { actorId: admin.id, targetType: 'plan' }, orderBy: { createdAt: 'asc' } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(['plan.created', 'plan.deactivated', 'plan.reactivated']);
  });
});

describe('admin.plans: a monthly and a yearly price, each checked against Stripe', () => {
  it('names a disagreement of the yearly price on its own field; both prices save, edit and remove', async () => {
    const product = await stack.stripe.products.create({ name: 'Team' });
    const teamMonthly = (await stack.stripe.prices.create({ product: product.id, unit_amount: 99900, currency: 'thb', recurring: { interval: 'month' } })).id;
    const teamYearly = (await stack.stripe.prices.create({ product: product.id, unit_amount: 899100, currency: 'thb', recurring: { interval: 'year' } })).id;
    const team = (otherPrice: unknown) => ({
      slug: 'team',
      name: 'Team',
      priceAmount: 99900,
      currency: 'thb',
      interval: 'month',
      stripePriceId: teamMonthly,
      otherPrice,
    });

    const wrong = await admin.mutate('admin.plans.create', team({ priceAmount: 800000, currency: 'thb', stripePriceId: teamYearly }));
    expect(wrong.status).toBe(409);
    expect(wrong.error?.data.fieldErrors).toEqual({ 'otherPrice.priceAmount': expect.stringMatching(/899100/) });
    const monthlyAsYearly = await admin.mutate('admin.plans.create', team({ priceAmount: 99900, currency: 'thb', stripePriceId: teamMonthly }));
    expect(monthlyAsYearly.error?.data.fieldErrors).toEqual({ 'otherPrice.interval': expect.stringMatching(/month/) });
    expect(await stack.api.prisma.plan.count({ where: { slug: 'team' } })).toBe(0);

    const created = await admin.mutate('admin.plans.create', team({ priceAmount: 899100, currency: 'thb', stripePriceId: teamYearly }));
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({
      priceAmount: 99900,
      interval: 'month',
      prices: [
        { interval: 'month', priceAmount: 99900, currency: 'thb', stripePriceId: teamMonthly },
        { interval: 'year', priceAmount: 899100, currency: 'thb', stripePriceId: teamYearly },
      ],
    });
    // Removing the monthly price's other one leaves the monthly only; moving the one price to yearly makes it the default.
    const monthlyOnly = await admin.mutate('admin.plans.update', team(null));
    expect(monthlyOnly.data.prices).toEqual([{ interval: 'month', priceAmount: 99900, currency: 'thb', stripePriceId: teamMonthly }]);
    const yearlyOnly = await admin.mutate('admin.plans.update', { ...team(undefined), priceAmount: 899100, interval: 'year', stripePriceId: teamYearly });
    expect(yearlyOnly.data).toMatchObject({ priceAmount: 899100, interval: 'year', stripePriceId: teamYearly });
    expect(yearlyOnly.data.prices).toEqual([{ interval: 'year', priceAmount: 899100, currency: 'thb', stripePriceId: teamYearly }]);
  });
});
