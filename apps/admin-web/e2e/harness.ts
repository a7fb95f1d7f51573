import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestApi, TEST_ACTOR, type TestApi } from '@aquoris/api/testing';
import { startStripeTestStack, type StripeTestStack } from '@aquoris/api/testing/stripe';
import { createAdmin, type AdminRoleName } from '@aquoris/core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export interface Credentials {
  email: string;
  password: string;
}

export interface ConsoleE2E {
  api: TestApi;
  /** With `{ stripe: true }`: the Stripe emulator the API talks to, and a client of it for the test's own calls. */
  stack: StripeTestStack | null;
  browser: Browser;
  /** The ADMIN every file starts with. */
  admin: Credentials;
  /** Creates another admin (core's createAdmin) and returns its credentials. */
  addAdmin(role: AdminRoleName, email: string): Promise<Credentials>;
  /** A page in a fresh browser context (its own cookies), 1280x800 unless told. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Fills the login page (the page must show it) and presses "Sign in". */
  signIn(page: Page, credentials?: Partial<Credentials>): Promise<void>;
  /** Opens `/admin/<path>`, signs in on the login page it redirects to, and waits for the signed-in page's heading. */
  openSignedIn(page: Page, path: string, credentials?: Credentials): Promise<void>;
}

/**
 * What every admin-web e2e file shares: the real API (fresh database, serving the built console under
 * /admin), one ADMIN and headless Chromium, started before the file's tests and closed after them.
 * The object returned holds it once it is up.
 */
export function useConsoleE2E(options: { env?: Record<string, string>; stripe?: boolean } = {}): ConsoleE2E {
  // Filled in before the file's tests run; tests use it as the stack itself.
  const e2e = {} as ConsoleE2E;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startConsoleE2E(options.env ?? {}, options.stripe ?? false);
    close = started.close;
    Object.assign(e2e, started);
  });
  afterAll(async () => {
    await close?.();
  });
  return e2e;
}

async function startConsoleE2E(env: Record<string, string>, stripe: boolean) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const stack = stripe ? await startStripeTestStack({ env }) : null;
  const api = stack?.api ?? (await startTestApi({ env }));
  const admin = { email: 'ops@example.com', password: 'correct horse battery' };
  await createAdmin(api.server.deps, TEST_ACTOR, { ...admin, name: 'Ops' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const e2e = {
    api,
    stack,
    browser,
    admin,
    async addAdmin(role: AdminRoleName, email: string) {
      const credentials = { email, password: `${role.toLowerCase()} password 1` };
      await createAdmin(api.server.deps, TEST_ACTOR, { ...credentials, name: email.split('@')[0]!, role });
      return credentials;
    },
    async newPage(viewport: { width: number; height: number } = DESKTOP) {
      const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
      const page = await context.newPage();
      // A script error in the console fails nothing by itself: print it, so a failing test shows why.
      page.on('pageerror', (error) => process.stderr.write(`[browser] ${error.stack ?? error.message}\n`));
      return page;
    },
    async signIn(page: Page, credentials: Partial<Credentials> = {}) {
      await page.getByLabel('Email').fill(credentials.email ?? admin.email);
      await page.getByLabel('Password').fill(credentials.password ?? admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
    async openSignedIn(page: Page, path: string, credentials: Credentials = admin) {
      await page.goto(`${api.baseUrl}/admin/${path}`);
      await page.waitForURL(/\/admin\/login/);
      await e2e.signIn(page, credentials);
      await page.waitForURL((url) => !url.pathname.startsWith('/admin/login'));
      // The address changes before the page does: wait for the signed-in frame and the page's own heading.
      await page.getByRole('navigation', { name: 'Admin' }).waitFor();
      await page.getByRole('main').getByRole('heading', { level: 1 }).waitFor();
    },
    async close() {
      await browser.close();
      await (stack ?? api).close();
    },
  };
  return e2e;
}

/** Screenshot under apps/admin-web/artifacts/ (gitignored), to be looked at. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}${name}.png` });
}
