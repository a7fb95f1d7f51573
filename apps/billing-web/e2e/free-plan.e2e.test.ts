import { TEST_ACTOR } from '@aquoris/api/testing';
import { createPlan } from '@aquoris/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, payOnCheckout, shot, startE2E, subscribeThroughUi, type E2E } from './harness.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
  // A free plan (price 0) next to the paid ones: it never touches Stripe (core's checkout/free-plan.ts).
  await createPlan(e2e.api.server.deps, TEST_ACTOR, {
    slug: 'free',
    name: 'Free',
    description: 'Try Vega on your own',
    priceAmount: 0,
    currency: 'thb',
    interval: 'month',
    displayOrder: 0,
  });
});
afterAll(async () => {
  await e2e?.close();
});

/** From the dashboard: Plans → Subscribe to Free (activated at once) → back on the dashboard. */
async function takeFreePlan(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
  await page.getByRole('listitem', { name: 'Free' }).getByRole('button', { name: 'Subscribe to Free' }).click();
  await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
  await page.getByRole('status').getByText("You're now on Free.").waitFor();
}

const emulatorControl = (path: string, method: string, body?: unknown) =>
  fetch(`${e2e.emulator.url}/__emulator${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

describe('the free plan', () => {
  it('reads as a free plan, and the subscriber upgrades from it through checkout', async () => {
    const { page, context } = await e2e.openSession({ userId: 'ola' });
    await page.getByText(`You don't have a ${APP.name} plan yet.`).waitFor();
    await takeFreePlan(page);
    const plan = page.getByRole('region', { name: 'Current plan' });
    await plan.getByText("You're on the free plan.", { exact: false }).waitFor();
    const text = (await plan.textContent()) ?? '';
    expect(text).toContain('Free · nothing to pay');
    expect(text).not.toMatch(/arranged|contact them|2126|Ends on|Runs until/);
    await shot(page, 'dashboard-free');

    await plan.getByRole('link', { name: 'Choose a plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose a plan' }).waitFor();
    await page.getByText("You're on the free plan. Pick a paid", { exact: false }).waitFor();
    expect(await page.getByRole('listitem', { name: 'Free' }).textContent()).toContain('Current plan');
    const pro = page.getByRole('listitem', { name: 'Pro' });
    expect(await pro.getByRole('button', { name: 'Subscribe to Pro' }).isEnabled()).toBe(true);
    await shot(page, 'plans-from-free');

    await pro.getByRole('button', { name: 'Subscribe to Pro' }).click();
    await page.waitForURL((url) => url.origin === e2e.emulator.url && url.pathname.startsWith('/c/pay/'));
    await payOnCheckout(page, '4242 4242 4242 4242', 'ola@example.com');
    await page.getByRole('heading', { level: 1, name: "You're all set" }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('main').textContent()).toContain("You're now subscribed to Pro (฿299.00 / month)");
    await page.getByRole('link', { name: 'View billing' }).click();
    await plan.getByText('Renews on').waitFor();
    expect(await plan.textContent()).toContain('฿299.00 / month');
    expect((await e2e.eligibility('ola')).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' } });
    await context.close();
  });

  it('the confirmation waits for the plan the checkout bought, not the free plan, when verify fails', async () => {
    const { page, context } = await e2e.openSession({ userId: 'pia' });
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await takeFreePlan(page);
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    await page.getByRole('listitem', { name: 'Max' }).getByRole('button', { name: 'Subscribe to Max' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
    const sessionId = /\/(cs_[A-Za-z0-9_]+)/.exec(page.url())![1]!;

    // Stripe cannot be asked about the session: verify fails, and only polling is left.
    expect((await emulatorControl('/faults', 'POST', { method: 'GET', path: '/v1/checkout/sessions', status: 500 })).status).toBe(200);
    try {
      await page.goto(`${e2e.api.baseUrl}/billing/checkout/success?session_id=${sessionId}`);
      await page.getByRole('heading', { level: 1, name: 'Confirming your payment…' }).waitFor();
      await page.waitForTimeout(6_000);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirming your payment…');
    } finally {
      await emulatorControl('/faults', 'DELETE');
    }

    // Paid now: the webhook fulfils the checkout and the page confirms the plan bought.
    expect((await emulatorControl(`/checkout_sessions/${sessionId}/pay`, 'POST', { card: '4242424242424242', email: 'pia@example.com' })).status).toBe(200);
    await page.getByRole('heading', { level: 1, name: "You're all set" }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('main').textContent()).toContain("You're now subscribed to Max");
    await page.getByRole('link', { name: 'View billing' }).click();
    const plan = page.getByRole('region', { name: 'Current plan' });
    await plan.getByText('Free trial', { exact: true }).waitFor();
    await shot(page, 'dashboard-trialing');
    expect((await e2e.eligibility('pia')).base).toMatchObject({ status: 'TRIALING', plan: { slug: 'max' } });
    await context.close();
  }, 60_000);

  it('a free plan granted by an operator for 30 days says until when, and paid plans can still be bought over it', async () => {
    const granted = (await e2e.api.grantSubscription({ appSlug: APP.slug, externalUserId: 'sol', planSlug: 'free', days: 30 })) as { currentPeriodEnd: string };
    const until = new Date(granted.currentPeriodEnd).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
    const { page, context } = await e2e.openSession({ userId: 'sol' });
    const plan = page.getByRole('region', { name: 'Current plan' });
    await plan.getByText(`You're on the free plan until ${until}`, { exact: false }).waitFor();
    const text = (await plan.textContent()) ?? '';
    expect(text).toContain('Free · nothing to pay');
    expect(text).toContain(`Runs until${until}`);
    expect(text).not.toContain('2126');
    await shot(page, 'dashboard-free-granted');
    expect((await e2e.eligibility('sol')).base).toMatchObject({
      status: 'ACTIVE',
      plan: { slug: 'free' },
      source: 'MANUAL',
      currentPeriodEnd: granted.currentPeriodEnd,
    });

    await plan.getByRole('link', { name: 'Choose a plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose a plan' }).waitFor();
    expect(await page.getByRole('listitem', { name: 'Free' }).textContent()).toContain('Current plan');
    expect(await page.getByRole('listitem', { name: 'Pro' }).getByRole('button', { name: 'Subscribe to Pro' }).isEnabled()).toBe(true);
    await context.close();
  });

  // Last in the file: it moves the shared clock past the paid plan's end.
  it('a paying subscriber is told on the free card that Free follows a cancellation, cancels from there, and takes Free once the plan has ended', async () => {
    const { page, context } = await e2e.openSession({ userId: 'rui' });
    await subscribeThroughUi(page, 'Basic', 'rui@example.com');
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    await page.getByRole('heading', { level: 1, name: 'Change your plan' }).waitFor();
    const free = page.getByRole('listitem', { name: 'Free' });
    await free.getByText('To move to Free, cancel your Basic plan', { exact: false }).waitFor();
    // No button that would only answer CONFLICT: the paid plans still offer a plan change.
    expect(await free.getByRole('button', { name: /Switch to Free|Subscribe/ }).count()).toBe(0);
    expect(await page.getByRole('listitem', { name: 'Pro' }).getByRole('button', { name: 'Switch to Pro' }).isEnabled()).toBe(true);
    await shot(page, 'plans-free-while-paying');

    await free.getByRole('button', { name: 'Cancel plan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel your Basic plan?' });
    await dialog.getByRole('button', { name: 'Cancel plan' }).click();
    await page.getByRole('status').getByText('Your plan has been canceled. You keep access until', { exact: false }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    await free.getByText(/^Your Basic plan ends on \w+ \d+, \d{4}\. After that, choose Free here\.$/).waitFor();
    expect(await free.getByRole('button').count()).toBe(0);
    expect((await e2e.eligibility('rui')).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'basic' }, cancelAtPeriodEnd: true });
    await context.close();

    // Past the period end Stripe ends the plan, and Free is one click away, as the card said.
    await e2e.advanceDays(32);
    const later = await e2e.openSession({ userId: 'rui' });
    await expect.poll(async () => (await e2e.eligibility('rui')).base, { timeout: 20_000, interval: 500 }).toBeNull();
    await takeFreePlan(later.page);
    expect((await e2e.eligibility('rui')).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'free' }, source: 'MANUAL' });
    await later.context.close();
  }, 90_000);
});
