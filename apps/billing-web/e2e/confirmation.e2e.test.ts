import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP, shot, startE2E, type E2E } from './harness.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

/** Starts a checkout from the plans page and stops on the emulator's page: returns the Checkout Session id. */
async function startCheckout(page: Page, planName: string): Promise<string> {
  await page
    .getByRole('listitem', { name: planName })
    .getByRole('button', { name: `Subscribe to ${planName}` })
    .click();
  await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
  return /\/(cs_[A-Za-z0-9_]+)/.exec(page.url())![1]!;
}

describe('the confirmation page', () => {
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
