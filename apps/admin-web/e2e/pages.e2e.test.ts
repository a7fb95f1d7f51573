import { seedAdminLists } from '@aquoris/db/testing';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, shot, useConsoleE2E } from './harness.ts';

const e2e = useConsoleE2E();
const PAGES = [
  ['', 'dashboard'],
  ['apps', 'apps'],
  ['plans', 'plans'],
  ['customers', 'customers'],
  ['subscriptions', 'subscriptions'],
  ['audit-log', 'audit-log'],
  ['admins', 'admins'],
] as const;

beforeAll(async () => {
  await seedAdminLists(e2e.api.server.deps.db.kysely, { subscriptions: 80, auditEntries: 80 });
});

/** Nothing on the page is wider than the window (a table may scroll inside its own box). */
async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => !el.closest('.scroller, .table-wrap') && el.getBoundingClientRect().right > window.innerWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  );
}

/** Opens every page of the nav, screenshots it as `<prefix>-<page>.png` and checks nothing sticks out of the window. */
async function shootEveryPage(page: Page, prefix: string): Promise<void> {
  for (const [path, name] of PAGES) {
    await page.goto(`${e2e.api.baseUrl}/admin/${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, `${prefix}-${name}`);
    expect(await overflowingElements(page), name).toEqual([]);
  }
}

describe('every console page at 1280x800 and 390x844', () => {
  it('at 1280x800: each page renders; the Apps rows keep their actions on one line and the key prefix whole', async () => {
    const page = await e2e.newPage(DESKTOP);
    await page.goto(`${e2e.api.baseUrl}/admin/login`);
    await shot(page, 'desktop-login');
    await e2e.openSignedIn(page, 'apps');
    await shootEveryPage(page, 'desktop');

    await page.goto(`${e2e.api.baseUrl}/admin/apps`);
    const actions = page.getByRole('table', { name: 'Apps' }).locator('.row-actions').first();
    await actions.waitFor();
    const lineHeight = await actions
      .locator('button')
      .first()
      .evaluate((b) => b.getBoundingClientRect().height);
    expect((await actions.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
    const prefix = page.getByRole('table', { name: 'Apps' }).locator('td code').first();
    expect(await prefix.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().height < 30)).toBe(true);
    expect(await page.getByRole('button', { name: 'Regenerate key' }).count()).toBe(4); // an ADMIN sees what a VIEWER does not
  }, 180_000);

  it('at 390x844: the navigation opens from a Menu button, and no page is wider than the screen', async () => {
    const page = await e2e.newPage(PHONE);
    await page.goto(`${e2e.api.baseUrl}/admin/login`);
    await shot(page, 'phone-login');
    await e2e.openSignedIn(page, 'subscriptions');
    const nav = page.getByRole('navigation', { name: 'Admin' });
    expect(await nav.getByRole('link', { name: 'Plans' }).isVisible()).toBe(false);
    await nav.getByRole('button', { name: 'Menu' }).click();
    await shot(page, 'phone-menu');
    await nav.getByRole('link', { name: 'Plans' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Apps' }).isVisible()).toBe(false); // following a link closed the menu
    await shootEveryPage(page, 'phone');
    await nav.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login$/);
  }, 180_000);
});
