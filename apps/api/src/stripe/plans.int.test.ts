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
    // Inactive: an active paid plan without a price is refused at creation (see the next test).
    await COMMANDS['plans:create']!.run(deps(), actor, {
      slug: 'silver',
      name: 'Silver',
      'price-amount': '9900',
      currency: 'usd',
      interval: 'month',
      inactive: true,
    });
    const first = (await COMMANDS['plans:sync-stripe']!.run(deps(), actor, { slug: 'silver' })) as { stripePriceId: string };
    const again = await syncPlanToStripe(deps(), actor, 'silver');
    expect(again.stripePriceId).toBe(first.stripePriceId);
    await stack.api.prisma.plan.update({ where: { slug: 'silver' }, data: { stripePriceId: 'price_gone_from_stripe' } });
    const recreated = await syncPlanToStripe(deps(), actor, 'silver');
    expect(recreated.stripePriceId).not.toBe('price_gone_from_stripe');
    expect((await stack.stripe.prices.retrieve(recreated.stripePriceId!)).unit_amount).toBe(9900);
  });

  it('plans:sync-stripe without --slug checks every paid plan, and gives each missing price back', async () => {
    await COMMANDS['plans:create']!.run(deps(), actor, {
      slug: 'one',
      name: 'One',
      'price-amount': '1900',
      currency: 'thb',
      interval: 'month',
      'create-stripe-price': true,
    });
    await COMMANDS['plans:create']!.run(deps(), actor, {
      slug: 'two',
      name: 'Two',
      'price-amount': '2900',
      currency: 'thb',
      interval: 'year',
      'create-stripe-price': true,
    });
    // As after an emulator restart that lost its state: Stripe knows neither price.
    await stack.api.prisma.plan.update({ where: { slug: 'one' }, data: { stripePriceId: 'price_lost_one' } });
    await stack.api.prisma.plan.update({ where: { slug: 'two' }, data: { stripePriceId: 'price_lost_two' } });
    const result = (await COMMANDS['plans:sync-stripe']!.run(deps(), actor, {})) as { plans: Array<{ slug: string; stripePriceId: string }> };
    const bySlug = Object.fromEntries(result.plans.map((p) => [p.slug, p.stripePriceId]));
    expect(bySlug.one).toMatch(/^price_/);
    expect(bySlug.two).toMatch(/^price_/);
    expect(bySlug.one).not.toBe('price_lost_one');
    expect((await stack.stripe.prices.retrieve(bySlug.two!)).recurring?.interval).toBe('year');
  });

  it('plans:create refuses an active paid plan with no Stripe price, so no subscriber is offered one', async () => {
    await expect(
      COMMANDS['plans:create']!.run(deps(), actor, { slug: 'bare', name: 'Bare', 'price-amount': '9900', currency: 'usd', interval: 'month' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/--stripe-price-id.*--create-stripe-price.*--inactive/) });
    expect(await stack.api.prisma.plan.count({ where: { slug: 'bare' } })).toBe(0);
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

  it('a yearly price beside the monthly one: created in Stripe with it, kept by sync, checked, removed and added again by plans:update', async () => {
    const prices = async (slug: string) =>
      (await stack.api.prisma.planPrice.findMany({ where: { plan: { slug } }, orderBy: { interval: 'asc' } })).map((p) => [
        p.interval,
        p.amount,
        p.stripePriceId,
      ]);
    await COMMANDS['plans:create']!.run(deps(), actor, {
      slug: 'duo',
      name: 'Duo',
      'price-amount': '29900',
      currency: 'thb',
      interval: 'month',
      'yearly-price': '2,990.00',
      'create-stripe-price': true,
    });
    const [[, , monthlyId], [, yearlyAmount, yearlyId]] = (await prices('duo')) as [[string, number, string], [string, number, string]];
    expect(yearlyAmount).toBe(299_000);
    const yearly = await stack.stripe.prices.retrieve(yearlyId);
    expect(yearly).toMatchObject({ unit_amount: 299_000, currency: 'thb', recurring: { interval: 'year' } });
    expect(yearly.product).toBe((await stack.stripe.prices.retrieve(monthlyId)).product);
    await COMMANDS['plans:sync-stripe']!.run(deps(), actor, { slug: 'duo' });
    expect(await prices('duo')).toEqual([
      ['month', 29_900, monthlyId],
      ['year', 299_000, yearlyId],
    ]);

    // The monthly flags name the plan's own price; a Stripe price that disagrees is named on the yearly field.
    await expect(COMMANDS['plans:update']!.run(deps(), actor, { slug: 'duo', 'monthly-price': '299.00' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('--monthly-price: the plan is billed monthly'),
    });
    await expect(COMMANDS['plans:update']!.run(deps(), actor, { slug: 'duo', 'yearly-price': '2900', 'yearly-stripe-price': yearlyId })).rejects.toMatchObject({
      code: 'STRIPE_PRICE_MISMATCH',
      details: { fields: { 'otherPrice.priceAmount': expect.stringContaining('299000') } },
    });
    await COMMANDS['plans:update']!.run(deps(), actor, { slug: 'duo', 'remove-yearly-price': true });
    expect(await prices('duo')).toEqual([['month', 29_900, monthlyId]]);
    const readded = (await COMMANDS['plans:update']!.run(deps(), actor, { slug: 'duo', 'yearly-price': '2691', 'create-stripe-price': true })) as {
      prices: Array<{ interval: string; priceAmount: number; stripePriceId: string }>;
    };
    expect(readded.prices[1]).toMatchObject({ interval: 'year', priceAmount: 269_100, stripePriceId: expect.stringMatching(/^price_/) });
    expect((await stack.stripe.prices.retrieve(readded.prices[1]!.stripePriceId)).unit_amount).toBe(269_100);
    const actions = (
      await stack.api.prisma.auditLog.findMany({ where: { targetType: 'plan', details: { path: ['slug'], equals: 'duo' } }, orderBy: { createdAt: 'asc' } })
    ).map((a) => a.action);
    expect(actions).toEqual(['plan.created', 'plan.stripe_price_created', 'plan.updated', 'plan.updated', 'plan.stripe_price_created']);
  });
});
