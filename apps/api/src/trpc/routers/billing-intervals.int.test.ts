import { planPrices } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { type Catalog, payCheckout, settle, useStripeCatalog } from '../../testing/catalog.ts';
import type { StripeTestStack } from '../../testing/stripe.ts';

// Monthly and yearly prices of one plan (issue 16): a yearly checkout through the emulator, then a switch
// back to monthly, previewed with its proration like any other plan change.
let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const YEARLY = 269_100; // THB 2,691.00 a year: 25% off twelve months of THB 299.00

async function addYearlyPrice() {
  const deps = stack.api.server.deps;
  const pro = catalog.plans.pro;
  const price = await deps.stripe!.prices.create({ product: pro.stripeProductId!, unit_amount: YEARLY, currency: 'thb', recurring: { interval: 'year' } });
  await planPrices.upsert(deps.db.kysely, pro.id, { interval: 'year', amount: YEARLY, currency: 'thb', stripePriceId: price.id });
  return price.id;
}

describe('billing intervals: yearly checkout and the switch to monthly', () => {
  it('lists both prices, buys the yearly one, reports the interval, and switches to monthly with a proration preview', async () => {
    await addYearlyPrice();
    const sub = await stack.subscriber(catalog.app, 'yan');
    const { plans } = await sub.query('billing.plans');
    expect(plans.find((p: { slug: string }) => p.slug === 'pro')).toMatchObject({
      priceAmount: 29900,
      interval: 'month',
      prices: [
        { interval: 'month', priceAmount: 29900, currency: 'thb' },
        { interval: 'year', priceAmount: YEARLY, currency: 'thb' },
      ],
      currentInterval: null,
    });

    // A plan without a price for the interval asked is a clear 422.
    await expect(sub.mutate('billing.checkout.create', { planSlug: 'team', billingInterval: 'year' })).rejects.toMatchObject({
      appCode: 'PLAN_INTERVAL_UNAVAILABLE',
      httpStatus: 422,
      message: expect.stringContaining('no yearly price'),
    });

    const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro', billingInterval: 'year' });
    expect(created.kind).toBe('redirect');
    await payCheckout(stack, created.url);
    await settle(stack);
    const bought = (await sub.query('billing.subscription.get')).subscription;
    expect(bought).toMatchObject({ plan: { slug: 'pro', interval: 'year', priceAmount: YEARLY } });
    expect(new Date(bought.currentPeriodEnd).getTime() - new Date(bought.currentPeriodStart).getTime()).toBeGreaterThan(360 * 86_400_000);
    expect((await sub.query('billing.plans')).plans.find((p: { slug: string }) => p.slug === 'pro').currentInterval).toBe('year');

    // Eligibility (REST) reports the interval the subscriber is on.
    const eligibility = await stack.api.request(`/api/v1/customers/yan/subscription`, { apiKey: catalog.app.apiKey });
    expect(((await eligibility.json()) as { base: unknown }).base).toMatchObject({ plan: { slug: 'pro', interval: 'year' } });

    // Already yearly: the same plan at the same interval is refused; at the other one it is a plan change.
    await expect(sub.query('billing.planChange.preview', { planSlug: 'pro', billingInterval: 'year' })).rejects.toMatchObject({ appCode: 'VALIDATION_ERROR' });
    const preview = await sub.query('billing.planChange.preview', { planSlug: 'pro', billingInterval: 'month' });
    expect(preview).toMatchObject({
      fromPlan: { slug: 'pro' },
      toPlan: { slug: 'pro', interval: 'month', priceAmount: 29900 },
      direction: 'upgrade', // monthly costs more a month than yearly
      startsNewPeriod: true,
    });
    expect(preview.lines.some((l: { kind: string }) => l.kind === 'unused')).toBe(true);
    const switched = await sub.mutate('billing.planChange.confirm', { planSlug: 'pro', billingInterval: 'month', prorationDate: preview.prorationDate });
    expect(switched).toMatchObject({ plan: { slug: 'pro', interval: 'month', priceAmount: 29900 } });
    await settle(stack);
    expect((await sub.query('billing.subscription.get')).subscription).toMatchObject({ plan: { interval: 'month', priceAmount: 29900 } });
    const row = await stack.api.prisma.subscription.findFirstOrThrow({ where: { customer: { externalUserId: 'yan' } } });
    expect(row.billingInterval).toBe('month');
  });

  it('REST: GET /plans lists both prices; POST /sessions carries billingInterval to the plans page, and refuses one the plan lacks', async () => {
    const key = { apiKey: catalog.app.apiKey };
    const listed = ((await (await stack.api.request('/api/v1/plans', key)).json()) as { plans: Array<{ slug: string; prices: unknown }> }).plans.find(
      (p) => p.slug === 'pro',
    );
    expect(listed?.prices).toEqual([
      { interval: 'month', priceAmount: 29900, currency: 'thb' },
      { interval: 'year', priceAmount: YEARLY, currency: 'thb' },
    ]);
    const session = (planSlug: string, billingInterval: string) =>
      stack.api.request('/api/v1/sessions', {
        ...key,
        method: 'POST',
        json: { externalUserId: 'zed', appSlug: catalog.app.slug, intent: 'upgrade', planSlug, billingInterval },
      });
    const missing = await session('team', 'year');
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: unknown }).error).toMatchObject({
      code: 'PLAN_INTERVAL_UNAVAILABLE',
      message: 'billingInterval: plan "team" has no yearly price',
    });
    const ok = await session('pro', 'year');
    expect(ok.status).toBe(200);
    const landing = await fetch(((await ok.json()) as { url: string }).url, { redirect: 'manual' });
    expect(landing.headers.get('location')).toMatch(/\/billing\/plans\?plan=pro&interval=year$/);
  });
});
