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
