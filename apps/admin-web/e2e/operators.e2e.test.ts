import { seedAdminLists, sql } from '@aquoris/db/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { shot, useConsoleE2E } from './harness.ts';

const e2e = useConsoleE2E();

beforeAll(async () => {
  const db = e2e.api.server.deps.db.kysely;
  await seedAdminLists(db, { subscriptions: 40, auditEntries: 0 });
  // An invoice per customer (every second one paid), and a refund of each paid one.
  await sql`insert into invoices (id, "appId", "customerId", source, status, amount, "amountPaid", currency, "paidAt", "createdAt", "updatedAt")
    select 'bi_' || c.id, c."appId", c.id, 'MANUAL', (case when g % 2 = 0 then 'PAID' else 'OPEN' end)::"InvoiceStatus", 29900,
      case when g % 2 = 0 then 29900 else 0 end, 'thb', case when g % 2 = 0 then now() - g * interval '1 hour' end, now() - g * interval '2 hours', now()
    from (select c.*, row_number() over (order by c.id) g from customers c) c`.execute(db);
  await sql`insert into refunds (id, "invoiceId", amount, currency, status, "createdAt", "updatedAt")
    select 'br_' || i.id, i.id, 5000, 'thb', 'SUCCEEDED', i."paidAt" + interval '10 minutes', now() from invoices i where i.status = 'PAID'`.execute(db);
});

describe('API tokens and the all-apps views in Chromium', () => {
  it('API tokens: empty at first, created with its scope and shown once, works on the REST routes, then revoked', async () => {
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, 'api-tokens');
    await page.getByText('No API tokens yet.').waitFor();
    await page.getByRole('button', { name: 'Create API token' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('enter a name').waitFor();
    await page.getByLabel('Name').fill('Reporting bot');
    await page.getByLabel('Scope').selectOption('READ_WRITE');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('api-key').textContent())!;
    expect(token).toMatch(/^aqb_op_/);
    await shot(page, 'api-tokens-created');
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row', { name: /Reporting bot/ });
    await expect.poll(() => row.textContent()).toMatch(/Read-write.*Never.*Active/);
    expect(await page.content()).not.toContain(token);

    const apps = await fetch(`${e2e.api.baseUrl}/api/v1/admin/apps`, { headers: { authorization: `Bearer ${token}` } });
    expect(apps.status).toBe(200);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.textContent()).toMatch(/Revoked/);
    await shot(page, 'api-tokens');
    expect((await fetch(`${e2e.api.baseUrl}/api/v1/admin/apps`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

    const viewer = await e2e.addAdmin('VIEWER', 'viewer@example.com');
    const viewerPage = await e2e.newPage();
    await e2e.openSignedIn(viewerPage, 'api-tokens', viewer);
    await viewerPage
      .getByRole('table', { name: 'API tokens' })
      .getByRole('row', { name: /Reporting bot/ })
      .waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Create API token' }).count()).toBe(0);
    expect(await viewerPage.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
  }, 120_000); // two sign-ins (bcrypt) and a dozen round trips on a shared machine

  it('Transactions: every app by default, one app with the selector, refunds only by type; Subscriptions lists all apps too', async () => {
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, 'transactions');
    const table = page.getByRole('table', { name: 'Transactions' });
    await table.locator('tr[data-id]').first().waitFor();
    const apps = async () => new Set(await table.locator('tr[data-id] td:nth-child(3)').allTextContents());
    await expect.poll(async () => (await apps()).size).toBeGreaterThan(1);
    await shot(page, 'transactions-all-apps');
    await page.getByLabel('App').selectOption('app-2');
    await expect.poll(async () => [...(await apps())]).toEqual(['app-2']);
    await page.getByLabel('Type').selectOption('refund');
    await expect.poll(async () => new Set(await table.locator('tr[data-id] td:nth-child(2)').allTextContents())).toEqual(new Set(['Refund']));
    expect(new URL(page.url()).searchParams.toString()).toBe('app=app-2&kind=refund');
    await page.getByLabel('Status').selectOption('VOID');
    await page.getByText('No transactions match this filter.').waitFor();

    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Subscriptions' }).click();
    await expect.poll(() => page.locator('.page-header .total').textContent()).toBe('40 subscriptions');
    expect(await page.getByLabel('App').locator('option:checked').textContent()).toBe('All apps');
    await shot(page, 'subscriptions-all-apps');
  });
});
