import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { APP, countCalls, shot, useE2E } from './harness.ts';

const e2e = useE2E();

/** Starts a checkout from the plans page and stops on the emulator's page: returns the Checkout Session id. */
async function startCheckout(page: Page, planName: string): Promise<string> {
  await page
    .getByRole('listitem', { name: planName })
    .getByRole('button', { name: `Subscribe to ${planName}` })
    .click();
  await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
  return /\/(cs_[A-Za-z0-9_]+)/.exec(page.url())![1]!;
}

const emulatorControl = (path: string, method: string, body?: unknown) =>
  fetch(`${e2e.emulator.url}/__emulator${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

/** Opens the confirmation page for `sessionId` and expects "not found" at once: no polling, the way back offered. */
async function expectNotFound(page: Page, sessionId: string): Promise<void> {
  const polls = countCalls(page, 'billing.checkout.status');
  const started = Date.now();
  await page.goto(`${e2e.api.baseUrl}/billing/checkout/success?session_id=${encodeURIComponent(sessionId)}`);
  await page.getByRole('heading', { level: 1, name: "We couldn't find your checkout" }).waitFor({ timeout: 5_000 });
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(await page.getByRole('main').textContent()).toContain("doesn't match a checkout of yours");
  expect(await page.locator('.spinner').count()).toBe(0);
  // The first poll would be 1 s after verify: it never comes, and the page stays as it is.
  await page.waitForTimeout(2_500);
  expect(polls()).toBe(0);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe("We couldn't find your checkout");
}

describe('the confirmation page', () => {
  it('a session id that is no checkout of this subscriber says so at once, with the way back', async () => {
    const { page, context } = await e2e.openSession({ userId: 'uma' });
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await expectNotFound(page, 'cs_test_bogus_0000');
    await shot(page, 'checkout-not-found');
    expect(await page.getByRole('link', { name: 'Choose a plan' }).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Go to billing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    // Not even a plausible id: too long to be one.
    await expectNotFound(page, `cs_test_${'x'.repeat(300)}`);
    await context.close();
  });

  it("another subscriber's checkout is not found, while its owner's page keeps waiting for the payment and then confirms", async () => {
    const owner = await e2e.openSession({ userId: 'vic' });
    await owner.page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    const sessionId = await startCheckout(owner.page, 'Basic');

    const other = await e2e.openSession({ userId: 'wes' });
    await other.page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await expectNotFound(other.page, sessionId);
    await other.context.close();

    // The owner's own, unpaid checkout: still waiting for the webhook, polling.
    const polls = countCalls(owner.page, 'billing.checkout.status');
    await owner.page.goto(`${e2e.api.baseUrl}/billing/checkout/success?session_id=${sessionId}`);
    await owner.page.getByRole('heading', { level: 1, name: 'Confirming your payment…' }).waitFor();
    await owner.page.waitForTimeout(3_000);
    expect(polls()).toBeGreaterThanOrEqual(1);
    expect(await owner.page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirming your payment…');
    expect((await emulatorControl(`/checkout_sessions/${sessionId}/pay`, 'POST', { card: '4242424242424242', email: 'vic@example.com' })).status).toBe(200);
    await owner.page.getByRole('heading', { level: 1, name: "You're all set" }).waitFor({ timeout: 20_000 });
    expect(await owner.page.getByRole('main').textContent()).toContain("You're now subscribed to Basic");
    await owner.context.close();
  }, 60_000);

  it('never spins forever: an unpaid checkout turns into "being processed" after about 30 s, with what happens next', async () => {
    const { page, context } = await e2e.openSession({ userId: 'max', intent: 'upgrade', planSlug: 'pro' });
    const sessionId = await startCheckout(page, 'Pro');
    const started = Date.now();
    await page.goto(`${e2e.api.baseUrl}/billing/checkout/success?session_id=${sessionId}`);
    await page.getByRole('heading', { level: 1, name: 'Confirming your payment…' }).waitFor();
    await shot(page, 'checkout-confirming');
    await page.getByRole('heading', { level: 1, name: 'Your payment is being processed' }).waitFor({ timeout: 40_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
    expect(await page.getByRole('main').textContent()).toContain("you don't need to do anything");
    expect(await page.locator('.spinner').count()).toBe(0);
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    await shot(page, 'checkout-slow');
    expect(await page.getByRole('button', { name: `Return to ${APP.name} now` }).isVisible()).toBe(true);
    await context.close();
  }, 60_000);

  it('an expired Checkout Session says nothing was charged', async () => {
    const { page, context } = await e2e.openSession({ userId: 'ned' });
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    const sessionId = await startCheckout(page, 'Basic');
    const expired = await fetch(`${e2e.emulator.url}/v1/checkout/sessions/${sessionId}/expire`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_emulator' },
    });
    expect(expired.status).toBe(200);
    await page.goto(`${e2e.api.baseUrl}/billing/checkout/success?session_id=${sessionId}`);
    await page.getByRole('heading', { level: 1, name: 'This checkout has expired' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Nothing was charged.');
    await shot(page, 'checkout-expired');
    await context.close();
  });
});
