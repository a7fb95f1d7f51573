import { expect, describe, it } from 'vitest';
import { shot, useConsoleE2E } from './harness.ts';

const e2e = useConsoleE2E({ env: { ADMIN_LOGIN_RATE_LIMIT_PER_MINUTE: '5' } });
const newPage = () => e2e.newPage();
const signIn = (page: Parameters<typeof e2e.signIn>[0], password?: string) => e2e.signIn(page, password === undefined ? {} : { password });

describe('admin console in Chromium', () => {
  it('a page without a session goes to the login page; a wrong password is refused; signing in returns to the page; create an app and use its key', async () => {
    const page = await newPage();
    await page.goto(`${e2e.api.baseUrl}/admin/apps`);
    await page.waitForURL(/\/admin\/login\?next=%2Fadmin%2Fapps$/);
    await signIn(page, 'wrong password');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Email or password is incorrect');
    await shot(page, 'admin-login');

    await signIn(page);
    await page.waitForURL(`${e2e.api.baseUrl}/admin/apps`);
    for (const label of ['Dashboard', 'Apps', 'Plans', 'Customers', 'Subscriptions', 'Audit Log', 'Admins']) {
      await expect.poll(() => page.getByRole('link', { name: label, exact: true }).count()).toBe(1);
    }
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByLabel('Slug').fill('vega');
    await page.getByLabel('Name').fill('Vega');
    await page.getByLabel('Return URL').fill('ftp://vega.example.com');
    await page.getByRole('dialog').getByRole('button', { name: 'Create app' }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('Return URL must be an absolute http or https URL');
    await page.getByLabel('Return URL').fill('https://vega.example.com/settings');
    await page.getByRole('dialog').getByRole('button', { name: 'Create app' }).click();
    const key = (await page.getByTestId('api-key').textContent())!;
    expect(key.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Apps' }).textContent()).toContain('vega');
    await shot(page, 'admin-apps-created');

    const res = await e2e.api.request('/api/v1/sessions', { method: 'POST', apiKey: key, json: { externalUserId: 'u1', appSlug: 'vega' } });
    expect(res.status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    await page.goto(`${e2e.api.baseUrl}/admin/apps`);
    await page.waitForURL(/\/admin\/login\?next=/);
  }, 120_000);

  it('an ADMIN creates an admin on the Admins page (the form checks the password length first)', async () => {
    const adminPage = await newPage();
    await adminPage.goto(`${e2e.api.baseUrl}/admin/admins`);
    await signIn(adminPage);
    await adminPage.waitForURL(`${e2e.api.baseUrl}/admin/admins`);
    await adminPage.getByRole('button', { name: 'Create admin' }).click();
    const dialog = adminPage.getByRole('dialog');
    await dialog.getByLabel('Email').fill('new@example.com');
    await dialog.getByLabel('Name').fill('New Admin');
    await dialog.getByLabel('Password').fill('short');
    await dialog.getByRole('button', { name: 'Create admin' }).click();
    await expect.poll(() => dialog.textContent()).toContain('Password must be at least 8 characters');
    await dialog.getByLabel('Password').fill('long enough password');
    await dialog.getByRole('button', { name: 'Create admin' }).click();
    await expect.poll(() => adminPage.getByRole('table', { name: 'Admins' }).textContent()).toContain('new@example.com');
    await shot(adminPage, 'admin-admins-created');
  }, 120_000);

  // Last in the file: it uses up this address's sign-in attempts for the minute.
  it('past 5 attempts a minute the login page says how many seconds to wait', async () => {
    const page = await newPage();
    await page.goto(`${e2e.api.baseUrl}/admin/login`);
    let text = '';
    for (let attempt = 0; attempt < 6 && !/Try again in \d+ seconds/.test(text); attempt++) {
      await signIn(page, 'wrong password');
      await expect.poll(async () => (text = (await page.getByRole('alert').first().textContent()) ?? '')).toMatch(/incorrect|Try again/);
      await page.waitForTimeout(100);
      text = (await page.getByRole('alert').first().textContent()) ?? '';
    }
    expect(text).toMatch(/^Too many sign-in attempts\. Try again in \d+ seconds\.$/);
    await shot(page, 'admin-login-rate-limited');
  }, 120_000);
});
