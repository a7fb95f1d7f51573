import { subscriptions } from '@aquoris/db';
import { seedAdminLists } from '@aquoris/db/testing';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { shot, useConsoleE2E } from './harness.ts';

// 130 subscriptions (76 ACTIVE: two pages of 50) and 130 audit entries, in 4 apps and 4 plans (app-1…4, plan-1…4).
const SEEDED = 130;
const e2e = useConsoleE2E();

beforeAll(async () => {
  await seedAdminLists(e2e.api.server.deps.db.kysely, { subscriptions: SEEDED, auditEntries: SEEDED });
});

/** Scrolls a list's box from top to bottom and returns every row id it showed, by row position (virtualised: few rows are in the DOM at once). */
async function scrollThrough(page: Page, label: string): Promise<string[]> {
  const box = page.getByTestId(`${label} scroller`);
  const seen = new Map<number, string>();
  for (let step = 0; step < 200; step++) {
    const rows = await box
      .locator('tr[data-id]')
      .evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('data-index')), tr.getAttribute('data-id')!] as const));
    for (const [index, id] of rows) {
      if (seen.has(index) && seen.get(index) !== id) throw new Error(`row ${index} changed from ${seen.get(index)} to ${id}`);
      seen.set(index, id);
    }
    const atEnd = await box.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2);
    if (atEnd && (await box.getByText(/^End of the list/).count()) === 1) break;
    await box.evaluate((el) => el.scrollBy(0, el.clientHeight * 0.7));
    await page.waitForTimeout(60);
  }
  await box.getByText(/^End of the list/).waitFor();
  const indexes = [...seen.keys()].sort((a, b) => a - b);
  expect(indexes).toEqual(indexes.map((_, i) => i)); // no gap in the positions seen
  return indexes.map((i) => seen.get(i)!);
}

const total = (page: Page) => page.locator('.page-header .total').textContent();

describe('Subscriptions and Audit Log in Chromium', () => {
  it('Subscriptions: the exact total per filter, filters kept in the URL, scrolling past one page with rows inserted meanwhile, a row opens its customer', async () => {
    const prisma = e2e.api.prisma;
    const page = await e2e.newPage();
    let listCalls = 0;
    page.on('request', (request) => void (request.url().includes('admin.subscriptions.list') && listCalls++));
    await e2e.openSignedIn(page, 'subscriptions');
    await expect.poll(() => total(page)).toBe(`${SEEDED} subscriptions`);

    await page.getByLabel('Status').selectOption('ACTIVE');
    const active = await prisma.subscription.count({ where: { status: 'ACTIVE' } });
    expect(active).toBeGreaterThan(50);
    await expect.poll(() => total(page)).toBe(`${active} subscriptions`);
    await page.getByLabel('App').selectOption('app-1');
    const activeInApp1 = await prisma.subscription.count({ where: { status: 'ACTIVE', appId: 'ba_1' } });
    await expect.poll(() => total(page)).toBe(`${activeInApp1} subscriptions`);
    await page.getByLabel('Plan').selectOption('plan-2');
    const narrow = await prisma.subscription.count({ where: { status: 'ACTIVE', appId: 'ba_1', planId: 'bp_2' } });
    await expect.poll(() => total(page)).toBe(`${narrow} subscription${narrow === 1 ? '' : 's'}`);
    expect(new URL(page.url()).searchParams.toString()).toBe('status=ACTIVE&app=app-1&plan=plan-2');
    await page.reload();
    await expect.poll(() => total(page)).toBe(`${narrow} subscription${narrow === 1 ? '' : 's'}`);
    expect(await page.getByLabel('Plan').inputValue()).toBe('plan-2');
    await page.getByLabel('Status').selectOption('UNPAID');
    await page.getByLabel('App').selectOption('app-4');
    if ((await prisma.subscription.count({ where: { status: 'UNPAID', appId: 'ba_4', planId: 'bp_2' } })) === 0) {
      await page.getByText('No subscriptions match this filter.').waitFor();
    }
    await page.getByLabel('App').selectOption('');
    await page.getByLabel('Plan').selectOption('');
    await page.getByLabel('Status').selectOption('ACTIVE');
    await expect.poll(() => total(page)).toBe(`${active} subscriptions`);
    await page.getByRole('table', { name: 'Subscriptions' }).locator('tr[data-id]').first().waitFor();

    // The ACTIVE rows as they stand now, newest first; then three newer ones arrive while the operator scrolls.
    const expected = (
      await prisma.subscription.findMany({ where: { status: 'ACTIVE' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } })
    ).map((r) => r.id);
    const inserted = [];
    for (let i = 0; i < 3; i++) {
      const now = new Date();
      inserted.push(
        await subscriptions.insert(e2e.api.server.deps.db.kysely, {
          appId: 'ba_1',
          customerId: 'bc_1',
          planId: 'bp_1',
          status: 'ACTIVE',
          source: 'MANUAL',
          kind: 'BASE',
          currentPeriodStart: now,
          currentPeriodEnd: new Date(now.getTime() + 30 * 86_400_000),
        }),
      );
    }
    const callsBefore = listCalls;
    const ids = await scrollThrough(page, 'Subscriptions');
    expect(listCalls).toBeGreaterThan(callsBefore); // the second page came by scrolling
    expect(ids).toEqual(expected); // every row once, in order: none repeated, none skipped
    expect(ids).not.toContain(inserted[0]!.id);
    await shot(page, 'admin-subscriptions-scrolled');
    await page.reload();
    await expect.poll(() => total(page)).toBe(`${active + 3} subscriptions`);

    const first = page.getByRole('table', { name: 'Subscriptions' }).locator('tr[data-id]').first();
    const customerId = (await prisma.subscription.findUniqueOrThrow({ where: { id: (await first.getAttribute('data-id'))! } })).customerId;
    await first.locator('td').nth(2).click();
    await page.waitForURL(`${e2e.api.baseUrl}/admin/customers/${customerId}`);

    // A filter the server refuses (an app that does not exist) shows the error state with Retry, not a dump.
    await page.goto(`${e2e.api.baseUrl}/admin/subscriptions?app=no-such-app`);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/^Could not load this: .*no-such-app/);
    expect(await alert.getByRole('button', { name: 'Retry' }).count()).toBe(1);
  }, 180_000);

  it('Audit Log: actor, action, target and details; filters by actor type and action kept in the URL; scrolling past one page', async () => {
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, 'audit-log');
    const table = page.getByRole('table', { name: 'Audit Log' });
    await table.locator('tr[data-id]').first().waitFor();
    for (const header of ['Time', 'Actor', 'Action', 'Target', 'Details']) expect(await table.getByRole('columnheader', { name: header }).count()).toBe(1);

    await page.getByLabel('Actor type').selectOption('ADMIN');
    await expect.poll(() => table.locator('tr[data-id]').first().textContent()).toContain('ops@example.com');
    expect(await table.locator('tr[data-id]').first().textContent()).toContain('admin.signed_in');

    await page.getByLabel('Actor type').selectOption('SYSTEM');
    const system = await e2e.api.prisma.auditLog.findMany({
      where: { actorType: 'SYSTEM' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
    expect(system.length).toBeGreaterThan(50);
    await expect.poll(() => table.locator('tr[data-id]').first().getAttribute('data-id')).toBe(system[0]!.id);
    expect(await scrollThrough(page, 'Audit Log')).toEqual(system.map((r) => r.id));

    await page.getByLabel('Action').fill('subscription.extended');
    await page.waitForURL((url) => url.searchParams.get('action') === 'subscription.extended');
    expect(new URL(page.url()).searchParams.get('actor')).toBe('SYSTEM');
    await page.reload();
    expect(await page.getByLabel('Action').inputValue()).toBe('subscription.extended');
    expect(await page.getByLabel('Actor type').inputValue()).toBe('SYSTEM');
    const extended = await e2e.api.prisma.auditLog.count({ where: { actorType: 'SYSTEM', action: 'subscription.extended' } });
    expect(await scrollThrough(page, 'Audit Log')).toHaveLength(extended);
    const row = await table.locator('tr[data-id]').first().textContent();
    expect(row).toContain('subscription.extended');
    expect(row).toMatch(/subscription bs_\d+/);
    await shot(page, 'admin-audit-log-filtered');

    await page.getByLabel('Action').fill('no.such.action');
    await page.getByText('No audit entries match this filter.').waitFor();
  }, 180_000);

  it('a VIEWER reads every page with no change control, and the server answers 403 to its changes', async () => {
    const viewer = await e2e.addAdmin('VIEWER', 'viewer@example.com');
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, 'apps', viewer);
    expect(await page.getByText('read-only').count()).toBe(1);
    const changes: Record<string, string[]> = {
      apps: ['Create app', 'Reveal key', 'Regenerate key', 'Edit'],
      plans: ['Create plan', 'Edit', 'Deactivate', 'Reactivate'],
      admins: ['Create admin', 'Deactivate'],
      subscriptions: [],
      'audit-log': [],
    };
    for (const [path, buttons] of Object.entries(changes)) {
      await page.goto(`${e2e.api.baseUrl}/admin/${path}`);
      await page.getByRole('table').locator('tbody tr').first().waitFor();
      for (const name of buttons) expect(await page.getByRole('button', { name, exact: true }).count(), `${path}: ${name}`).toBe(0);
      // What remains are reads, filters and the viewer's own session and password.
      const enabled = await page.locator('main button:enabled').allTextContents();
      expect(
        enabled.filter((t) => !['Change password', 'Retry'].includes(t)),
        path,
      ).toEqual([]);
    }

    const post = (path: string, input: unknown) =>
      page.evaluate(
        async ([p, body]) => {
          const res = await fetch(`/trpc/${p}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-aquoris-admin': '1' },
            body: JSON.stringify(body),
          });
          return { status: res.status, code: ((await res.json()) as { error?: { data?: { appCode?: string } } }).error?.data?.appCode };
        },
        [path, input] as const,
      );
    const refused = { status: 403, code: 'FORBIDDEN' };
    expect(await post('admin.apps.create', { slug: 'sneaky', name: 'Sneaky', returnUrl: 'https://sneaky.example.com' })).toEqual(refused);
    expect(await post('admin.apps.regenerateKey', { slug: 'app-1' })).toEqual(refused);
    expect(await post('admin.plans.setActive', { slug: 'plan-1', active: false })).toEqual(refused);
    expect(await post('admin.subscriptions.extend', { subscriptionId: 'bs_1', days: 5, reason: 'no' })).toEqual(refused);
    expect(await e2e.api.prisma.app.count({ where: { slug: 'sneaky' } })).toBe(0);
    expect((await e2e.api.prisma.plan.findUniqueOrThrow({ where: { slug: 'plan-1' } })).active).toBe(true);
  }, 180_000);

  it('Sign out ends the session on the server: the old cookie no longer opens anything', async () => {
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, 'subscriptions');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'aqb_admin')!;
    const me = () => fetch(`${e2e.api.baseUrl}/trpc/admin.auth.me`, { headers: { cookie: `aqb_admin=${cookie.value}` } }).then((r) => r.status);
    expect(await me()).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login$/);
    expect(await me()).toBe(401);
    await page.context().addCookies([cookie]);
    await page.goto(`${e2e.api.baseUrl}/admin/audit-log?actor=ADMIN`);
    await page.waitForURL(/\/admin\/login\?next=%2Fadmin%2Faudit-log%3Factor%3DADMIN$/);
  }, 120_000);
});
