import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestApi, TEST_ACTOR, type TestApi } from '@aquoris/api/testing';
import { createAdmin } from '@aquoris/core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ADMIN = { email: 'ops@example.com', password: 'correct horse battery', name: 'Ops' };
let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  api = await startTestApi({ env: { ADMIN_LOGIN_RATE_LIMIT_PER_MINUTE: '5' } });
  await createAdmin(api.server.deps, TEST_ACTOR, ADMIN);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

async function signIn(page: Page, password = ADMIN.password): Promise<void> {
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('admin console in Chromium', () => {
  it('a page without a session goes to the login page; a wrong password is refused; signing in returns to the page; create an app and use its key', async () => {
    const page = await newPage();
    await page.goto(`${api.baseUrl}/admin/apps`);
    await page.waitForURL(/\/admin\/login\?next=%2Fadmin%2Fapps$/);
    await signIn(page, 'wrong password');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Email or password is incorrect');
    await page.screenshot({ path: `${ARTIFACTS}/admin-login.png` });

    await signIn(page);
    await page.waitForURL(`${api.baseUrl}/admin/apps`);
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
    await page.screenshot({ path: `${ARTIFACTS}/admin-apps.png` });

    const res = await api.request('/api/v1/sessions', { method: 'POST', apiKey: key, json: { externalUserId: 'u1', appSlug: 'vega' } });
    expect(res.status).toBe(200);

    for (const [path, file] of [
      ['plans', 'admin-plans'],
      ['admins', 'admin-admins'],
      ['', 'admin-dashboard'],
      ['customers', 'admin-customers'],
    ] as const) {
      await page.goto(`${api.baseUrl}/admin/${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: `${ARTIFACTS}/${file}.png` });
    }

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    await page.goto(`${api.baseUrl}/admin/apps`);
    await page.waitForURL(/\/admin\/login\?next=/);
  }, 120_000);

  it('a VIEWER sees the lists without change buttons; an ADMIN creates an admin on the Admins page', async () => {
    const viewer = { email: 'viewer@example.com', password: 'viewer password 1', name: 'Viewer' };
    await createAdmin(api.server.deps, TEST_ACTOR, { ...viewer, role: 'VIEWER' });
    const page = await newPage();
    await page.goto(`${api.baseUrl}/admin/apps`);
    await page.getByLabel('Email').fill(viewer.email);
    await page.getByLabel('Password').fill(viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${api.baseUrl}/admin/apps`);
    await page.getByRole('table', { name: 'Apps' }).waitFor();
    expect(await page.getByText('read-only').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Create app' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Regenerate key' }).count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/admin-viewer-apps.png` });

    const adminPage = await newPage();
    await adminPage.goto(`${api.baseUrl}/admin/admins`);
    await signIn(adminPage);
    await adminPage.waitForURL(`${api.baseUrl}/admin/admins`);
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
    await adminPage.screenshot({ path: `${ARTIFACTS}/admin-admins.png` });
  }, 120_000);

  // Last in the file: it uses up this address's sign-in attempts for the minute.
  it('past 5 attempts a minute the login page says how many seconds to wait', async () => {
    const page = await newPage();
    await page.goto(`${api.baseUrl}/admin/login`);
    let text = '';
    for (let attempt = 0; attempt < 6 && !/Try again in \d+ seconds/.test(text); attempt++) {
      await signIn(page, 'wrong password');
      await expect.poll(async () => (text = (await page.getByRole('alert').first().textContent()) ?? '')).toMatch(/incorrect|Try again/);
      await page.waitForTimeout(100);
      text = (await page.getByRole('alert').first().textContent()) ?? '';
    }
    expect(text).toMatch(/^Too many sign-in attempts\. Try again in \d+ seconds\.$/);
    await page.screenshot({ path: `${ARTIFACTS}/admin-login-rate-limited.png` });
  }, 120_000);
});
