import { describe, expect, it } from 'vitest';
import { APP, shot, useE2E } from './harness.ts';

const e2e = useE2E();

describe('sessions', () => {
  it('no session cookie: a clear page explaining how to get back, never a raw error', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${e2e.api.baseUrl}/billing/plans`);
    await page.getByRole('heading', { level: 1, name: 'Your billing session has ended' }).waitFor();
    const text = (await page.getByRole('main').textContent()) ?? '';
    expect(text).toContain('Manage subscription');
    expect(text).not.toMatch(/UNAUTHORIZED|TRPC|error/i);
    expect(await page.title()).toBe('Session ended · Billing');
    await shot(page, 'session-missing');
    await context.close();
  });

  it('an expired or damaged link answers with the API page saying how to get a fresh one', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${e2e.api.baseUrl}/session/not-a-real-token`);
    expect(res?.status()).toBe(401);
    await page.getByRole('heading', { name: 'This billing link is not valid' }).waitFor();
    expect((await context.cookies()).find((c) => c.name === 'aqb_session')).toBeUndefined();
    await context.close();
  });

  it('a session that ends while the page is open switches to that page, with the way back to the app', async () => {
    const { page, context } = await e2e.openSession({ userId: 'hal' });
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await page.getByText(`You don't have a ${APP.name} plan yet.`).waitFor();
    await context.clearCookies();
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your billing session has ended' }).waitFor();
    await shot(page, 'session-ended-mid-use');
    await page
      .getByRole('main')
      .getByRole('link', { name: `Back to ${APP.name}` })
      .click();
    await page.waitForURL(APP.returnUrl);
    await context.close();
  });

  it('keyboard: the skip link comes first and moves focus to the page', async () => {
    const { page, context } = await e2e.openSession({ userId: 'ivy' });
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await shot(page, 'skip-link-focused');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Choose a plan');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Choose a plan' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-title');
    await context.close();
  });
});
