import { describe, expect, it } from 'vitest';
import { shot, useConsoleE2E } from './harness.ts';

const e2e = useConsoleE2E({ stripe: true });

/** A recurring price in the emulator, as an operator would make one in the Stripe Dashboard. */
async function stripePrice(amount: number, currency: 'thb' | 'usd', interval: 'month' | 'year'): Promise<string> {
  const stripe = e2e.stack!.stripe;
  const product = await stripe.products.create({ name: `Plan ${amount} ${currency}` });
  const price = await stripe.prices.create({ product: product.id, unit_amount: amount, currency, recurring: { interval } });
  return price.id;
}

describe('Plans in Chromium, each Stripe Price ID checked against Stripe (the emulator)', () => {
  it('refuses a price that disagrees and says which field, then creates, edits, deactivates and reactivates', async () => {
    const monthly = await stripePrice(29_900, 'thb', 'month');
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, 'plans');
    await page.getByRole('button', { name: 'Create plan' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Slug').fill('pro-e2e');
    await dialog.getByLabel('Name').fill('PRO e2e');
    await dialog.getByLabel('Price (cents)').fill('19900');
    await dialog.getByLabel('Currency').selectOption('thb');
    await dialog.getByLabel('Interval').selectOption('month');
    await dialog.getByLabel('Stripe Price ID').fill('price_does_not_exist');
    await dialog.getByRole('button', { name: 'Create plan' }).click();
    // Each disagreement is shown beside its own field, and the form keeps what was typed.
    await expect.poll(() => dialog.textContent()).toContain('Stripe Price ID is not a price in Stripe');
    await dialog.getByLabel('Stripe Price ID').fill(monthly);
    await dialog.getByRole('button', { name: 'Create plan' }).click();
    await expect.poll(() => dialog.textContent()).toContain('Price (cents) differs from the Stripe price, which is 29900');
    expect(await dialog.getByLabel('Slug').inputValue()).toBe('pro-e2e');
    await shot(page, 'plans-price-mismatch');

    await dialog.getByLabel('Price (cents)').fill('29900');
    await dialog.getByRole('button', { name: 'Create plan' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /pro-e2e/ });
    await expect.poll(() => row.textContent()).toContain(monthly);
    const plan = await e2e.api.prisma.plan.findUniqueOrThrow({ where: { slug: 'pro-e2e' } });
    expect(plan).toMatchObject({ priceAmount: 29_900, currency: 'thb', interval: 'month', stripePriceId: monthly, active: true });

    // A second, yearly price beside the monthly one: a wrong amount is named beside its own field, then saved.
    const yearly = await stripePrice(299_000, 'thb', 'year');
    await row.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByRole('button', { name: 'Add yearly price' }).click();
    await dialog.getByLabel('Yearly price (THB)').fill('2,900.00');
    await dialog.getByLabel('Yearly currency').selectOption('thb');
    await dialog.getByLabel('Yearly Stripe Price ID').fill(yearly);
    await dialog.getByRole('button', { name: 'Save' }).click();
    const yearlyError = dialog.locator('#plan-other-price-error');
    await expect.poll(() => yearlyError.textContent()).toBe('Yearly price (THB) differs from the Stripe price, which is 299000 (฿2,990.00)');
    await shot(page, 'plans-yearly-price-mismatch');
    await dialog.getByLabel('Yearly price (THB)').fill('2990.00');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.textContent()).toContain('฿2,990.00 / year');
    expect(await row.textContent()).toContain('฿299.00 / month');
    expect(await row.textContent()).toContain(yearly);
    const prices = await e2e.api.prisma.planPrice.findMany({ where: { planId: plan.id }, orderBy: { interval: 'asc' } });
    expect(prices.map((p) => [p.interval, p.amount, p.stripePriceId])).toEqual([
      ['month', 29_900, monthly],
      ['year', 299_000, yearly],
    ]);
    await shot(page, 'plans-both-prices');

    // Removed again, so the next edit can move the one price to yearly.
    await row.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByRole('button', { name: 'Remove yearly price' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.textContent()).not.toContain('/ year');

    // Edit: a yearly price on a monthly plan is refused beside Interval until the interval follows.
    await row.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByLabel('Price (cents)').fill('299000');
    await dialog.getByLabel('Stripe Price ID').fill(yearly);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.textContent()).toContain('Interval differs from the Stripe price, which bills every year');
    await dialog.getByLabel('Interval').selectOption('year');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await e2e.api.prisma.plan.findUniqueOrThrow({ where: { slug: 'pro-e2e' } })).stripePriceId).toBe(yearly);

    await row.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(async () => (await e2e.api.prisma.plan.findUniqueOrThrow({ where: { slug: 'pro-e2e' } })).active).toBe(false);
    await row.getByRole('button', { name: 'Reactivate' }).click();
    await expect.poll(async () => (await e2e.api.prisma.plan.findUniqueOrThrow({ where: { slug: 'pro-e2e' } })).active).toBe(true);
    const actions = (await e2e.api.prisma.auditLog.findMany({ where: { targetId: plan.id }, orderBy: { createdAt: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['plan.created', 'plan.updated', 'plan.updated', 'plan.updated', 'plan.deactivated', 'plan.reactivated']);
    await shot(page, 'plans-after');
  });
});
