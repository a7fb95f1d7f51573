import { describe, expect, it } from 'vitest';
import { APP, payOnCheckout, shot, useE2E } from './harness.ts';

const e2e = useE2E();

describe('subscribing', () => {
  it('session link → dashboard → plans → Subscribe → Checkout with 4242 → confirmation → back to the app → eligibility ACTIVE', async () => {
    const { page, context } = await e2e.openSession({ userId: 'ann' });
    expect(new URL(page.url()).pathname).toMatch(/^\/billing\/?$/);
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await page.getByText(`You don't have a ${APP.name} plan yet.`).waitFor();
    await page.getByText('No invoices yet.').waitFor();
    expect(await page.getByRole('banner').textContent()).toContain(APP.name);
    await shot(page, 'dashboard-no-plan');

    await page.getByRole('link', { name: 'Choose a plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose a plan' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/billing/plans');
    const pro = page.getByRole('listitem', { name: 'Pro' });
    expect(await pro.textContent()).toContain('฿299.00');
    expect(await page.getByRole('listitem', { name: 'Max' }).textContent()).toContain('7-day free trial');
    await shot(page, 'plans');

    await pro.getByRole('button', { name: 'Subscribe to Pro' }).click();
    await page.waitForURL((url) => url.origin === e2e.emulator.url && url.pathname.startsWith('/c/pay/'));
    await shot(page, 'emulator-checkout');
    await payOnCheckout(page, '4242 4242 4242 4242', 'ann@example.com');

    await page.waitForURL((url) => url.pathname === '/billing/checkout/success');
    expect(new URL(page.url()).searchParams.get('session_id')).toMatch(/^cs_/);
    await page.getByRole('heading', { level: 1, name: "You're all set" }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('main').textContent()).toContain("You're now subscribed to Pro (฿299.00 / month)");
    await shot(page, 'checkout-confirmed');

    await page
      .getByRole('main')
      .getByRole('link', { name: `Back to ${APP.name}` })
      .click();
    await page.waitForURL(APP.returnUrl);
    const eligibility = await e2e.eligibility('ann');
    expect(eligibility.base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' }, cancelAtPeriodEnd: false });
    await context.close();
  });

  it('an upgrade session pre-selects its plan and returns to the app on its own after the countdown', async () => {
    const { page, context } = await e2e.openSession({ userId: 'cy', intent: 'upgrade', planSlug: 'max' });
    await page.getByRole('list', { name: 'Plans' }).waitFor();
    expect(new URL(page.url()).search).toBe('?plan=max');
    const max = page.getByRole('listitem', { name: 'Max' });
    expect(await max.getAttribute('class')).toContain('plan-card-selected');
    expect(await max.textContent()).toContain('Selected for you');
    await shot(page, 'plans-upgrade-preselected');

    await max.getByRole('button', { name: 'Subscribe to Max' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
    await payOnCheckout(page, '4242424242424242', 'cy@example.com');
    await page.getByRole('heading', { level: 1, name: "You're all set" }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('main').textContent()).toContain('Your free trial runs until');
    await page.getByRole('timer').waitFor();
    await shot(page, 'checkout-confirmed-upgrade-countdown');
    await page.waitForURL(APP.returnUrl, { timeout: 10_000 });
    expect((await e2e.eligibility('cy')).base).toMatchObject({ status: 'TRIALING', plan: { slug: 'max' } });
    await context.close();
  });

  it('a declined card (4000 0000 0000 0002) is refused on Checkout and nothing is subscribed', async () => {
    const { page, context } = await e2e.openSession({ userId: 'bob', intent: 'upgrade', planSlug: 'basic' });
    await page.getByRole('listitem', { name: 'Basic' }).getByRole('button', { name: 'Subscribe to Basic' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
    await payOnCheckout(page, '4000 0000 0000 0002', 'bob@example.com');
    await page.getByRole('alert').getByText('Your card was declined.').waitFor();
    await shot(page, 'emulator-checkout-declined');

    await page.getByRole('link', { name: /Back/ }).click();
    await page.waitForURL((url) => url.pathname === '/billing/plans');
    await page.getByRole('heading', { level: 1, name: 'Choose a plan' }).waitFor();
    await page.getByRole('link', { name: 'Subscription' }).click();
    await page.getByText(`You don't have a ${APP.name} plan yet.`).waitFor();
    expect((await e2e.eligibility('bob')).base).toBeNull();
    await context.close();
  });
});
