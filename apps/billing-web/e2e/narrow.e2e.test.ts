import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { payOnCheckout, shot, useE2E } from './harness.ts';

const e2e = useE2E();

const PHONE = { width: 360, height: 740 };

/** Nothing wider than the screen: no sideways scrolling at 360 px. */
async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

describe('a 360 px wide screen', () => {
  it('every page fits, from an upgrade link through checkout to the dashboard', async () => {
    const { page, context } = await e2e.openSession({ userId: 'jo', intent: 'upgrade', planSlug: 'pro', viewport: PHONE });
    const pro = page.getByRole('listitem', { name: 'Pro' });
    await pro.waitFor();
    await expectNoHorizontalScroll(page);
    await shot(page, 'narrow-plans');

    await pro.getByRole('button', { name: 'Subscribe to Pro' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/c/pay/'));
    await payOnCheckout(page, '4242 4242 4242 4242', 'jo@example.com');
    await page.getByRole('heading', { level: 1, name: "You're all set" }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    await expectNoHorizontalScroll(page);
    await shot(page, 'narrow-checkout-confirmed');

    await page.getByRole('link', { name: 'View billing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await page.getByRole('region', { name: 'Invoice history' }).getByText('Paid').waitFor();
    await expectNoHorizontalScroll(page);
    await shot(page, 'narrow-dashboard');

    await page.getByRole('button', { name: 'Cancel plan' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'narrow-dialog-cancel', { viewportOnly: true });
    await page.keyboard.press('Escape');

    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    await page.getByRole('listitem', { name: 'Max' }).getByRole('button', { name: 'Switch to Max' }).click();
    const change = page.getByRole('dialog', { name: 'Switch to Max' });
    await change.getByText('Due today').waitFor();
    const changeBox = await change.boundingBox();
    expect(changeBox!.x).toBeGreaterThanOrEqual(0);
    expect(changeBox!.x + changeBox!.width).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'narrow-dialog-plan-change', { viewportOnly: true });
    await page.keyboard.press('Escape');
    await context.close();
  });

  it('nothing jumps when the data arrives: the header and the first card keep their place', async () => {
    const { page, context } = await e2e.openSession({ userId: 'kim', viewport: PHONE });
    const card = page.locator('.card').first();
    await page.getByRole('region', { name: 'Current plan' }).getByText('No plan').waitFor();
    const loaded = { header: await page.locator('header').boundingBox(), card: await card.boundingBox() };
    // Reload with the API held back, and measure the skeleton.
    await context.route('**/trpc/**', async (route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    await page.reload();
    await page.locator('[aria-busy="true"]').first().waitFor();
    await shot(page, 'narrow-dashboard-loading');
    const loading = { header: await page.locator('header').boundingBox(), card: await card.boundingBox() };
    expect(loading.header!.height).toBe(loaded.header!.height);
    expect(Math.abs(loading.card!.y - loaded.card!.y)).toBeLessThanOrEqual(2);
    await page.getByRole('region', { name: 'Current plan' }).getByText('No plan').waitFor();
    await context.close();
  });
});
