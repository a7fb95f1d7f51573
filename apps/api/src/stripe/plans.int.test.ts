import { syncPlanToStripe, type CliActor } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../cli/commands.ts';
import { startStripeTestStack, type StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
const actor: CliActor = { type: 'cli', user: 'test' };

beforeAll(async () => {
  stack = await startStripeTestStack();
});
afterAll(() => stack?.close());

const deps = () => stack.api.server.deps;

describe('plans and Stripe prices', () => {
  it('plans:create --create-stripe-price creates the product and the recurring price in Stripe', async () => {
    const plan = (await COMMANDS['plans:create']!.run(deps(), actor, {
      slug: 'gold',
      name: 'Gold',
      'price-amount': '49900',
      currency: 'thb',
      interval: 'year',
      'create-stripe-price': true,
    })) as { stripePriceId: string };
    const price = await stack.stripe.prices.retrieve(plan.stripePriceId, { expand: ['product'] });
    expect(price).toMatchObject({ unit_amount: 49900, currency: 'thb', recurring: { interval: 'year' }, active: true });
    expect((price.product as { name: string }).name).toBe('Gold');
  });

  it('plans:sync-stripe is idempotent, and recreates a price Stripe no longer has', async () => {
    await COMMANDS['plans:create']!.run(deps(), actor, { slug: 'silver', name: 'Silver', 'price-amount': '9900', currency: 'usd', interval: 'month' });
    const first = (await COMMANDS['plans:sync-stripe']!.run(deps(), actor, { slug: 'silver' })) as { stripePriceId: string };
    const again = await syncPlanToStripe(deps(), actor, 'silver');
    expect(again.stripePriceId).toBe(first.stripePriceId);
    await stack.api.prisma.plan.update({ where: { slug: 'silver' }, data: { stripePriceId: 'price_gone_from_stripe' } });
    const recreated = await syncPlanToStripe(deps(), actor, 'silver');
    expect(recreated.stripePriceId).not.toBe('price_gone_from_stripe');
    expect((await stack.stripe.prices.retrieve(recreated.stripePriceId!)).unit_amount).toBe(9900);
  });

  it('refuses a price that does not match the plan, and free plans', async () => {
    const other = await stack.stripe.prices.create({ currency: 'thb', unit_amount: 1, recurring: { interval: 'month' }, product_data: { name: 'X' } });
    await COMMANDS['plans:create']!.run(deps(), actor, {
      slug: 'odd',
      name: 'Odd',
      'price-amount': '500',
      currency: 'thb',
      interval: 'month',
      'stripe-price-id': other.id,
    });
    await expect(syncPlanToStripe(deps(), actor, 'odd')).rejects.toMatchObject({ code: 'STRIPE_PRICE_MISMATCH' });
    await COMMANDS['plans:create']!.run(deps(), actor, { slug: 'zero', name: 'Zero', 'price-amount': '0', currency: 'thb', interval: 'month' });
    await expect(syncPlanToStripe(deps(), actor, 'zero')).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
