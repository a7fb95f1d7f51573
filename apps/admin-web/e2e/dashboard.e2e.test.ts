import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestApi, TEST_ACTOR, type TestApi } from '@aquoris/api/testing';
import { createAdmin, fixedClock, type Deps } from '@aquoris/core';
import { changeSubscription, payInvoice, refundAt, startSubscription } from '@aquoris/core/testing/metrics';
import { customers } from '@aquoris/db';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ADMIN = { email: 'dash@example.com', password: 'correct horse battery', name: 'Dash' };
const NOW = '2026-11-20T12:00:00.000Z';
const clock = fixedClock('2026-10-03T10:00:00.000Z');
let api: TestApi;
/** A second API over the same database whose Churn rate figure is delayed past its 1-second timeout (the metrics test hook). */
let slowChurn: TestApi;
let browser: Browser;

/**
 * Vega: u1 monthly ฿299 from Oct 3, u2 on trial from Oct 3 (pays from Nov 5), u3 yearly $120 (a month: $10)
 * from Oct 3, PAST_DUE from Nov 10. Lyra: u4 monthly ฿299 from Oct 3, canceled Nov 12. ฿100 of u1's November
 * invoice refunded Nov 15. Now is Nov 20, 12:00.
 */
async function seedHistory(deps: Deps): Promise<void> {
  const vega = await api.createApp({ slug: 'vega', name: 'Vega' });
  const lyra = await api.createApp({ slug: 'lyra', name: 'Lyra' });
  const pro = await api.createPlan({ slug: 'pro', name: 'Pro', priceAmount: 29_900, currency: 'thb', interval: 'month' });
  const team = await api.createPlan({ slug: 'team-yearly', name: 'Team yearly', priceAmount: 12_000, currency: 'usd', interval: 'year' });
  const owner = async (appId: string, user: string) => ({ appId, customerId: (await customers.upsert(deps.db.kysely, appId, user, {})).id });
  const [u1, u2, u3, u4] = [await owner(vega.id, 'u1'), await owner(vega.id, 'u2'), await owner(vega.id, 'u3'), await owner(lyra.id, 'u4')];
  const s1 = await startSubscription(deps, u1, pro.id, 'ACTIVE');
  const s2 = await startSubscription(deps, u2, pro.id, 'TRIALING');
  const s3 = await startSubscription(deps, u3, team.id, 'ACTIVE');
  const s4 = await startSubscription(deps, u4, pro.id, 'ACTIVE');
  await payInvoice(deps, s1, 29_900, 'thb');
  await payInvoice(deps, s3, 12_000, 'usd');
  await payInvoice(deps, s4, 29_900, 'thb');
  clock.set('2026-11-05T09:00:00.000Z');
  await changeSubscription(deps, s2.id, { status: 'ACTIVE' });
  await payInvoice(deps, s2, 29_900, 'thb');
  const november = await payInvoice(deps, s1, 29_900, 'thb');
  await payInvoice(deps, s4, 29_900, 'thb');
  clock.set('2026-11-10T09:00:00.000Z');
  await changeSubscription(deps, s3.id, { status: 'PAST_DUE' });
  clock.set('2026-11-12T09:00:00.000Z');
  await changeSubscription(deps, s4.id, { status: 'CANCELED', endedAt: clock.now() });
  clock.set('2026-11-15T09:00:00.000Z');
  await refundAt(deps, november, 10_000);
  clock.set(NOW);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  api = await startTestApi({ clock });
  await createAdmin(api.server.deps, TEST_ACTOR, ADMIN);
  await seedHistory(api.server.deps);
  slowChurn = await startTestApi({
    clock,
    databaseUrl: api.databaseUrl,
    env: {
      ADMIN_SESSION_SECRET: api.env.ADMIN_SESSION_SECRET,
      SESSION_SECRET: api.env.SESSION_SECRET,
      DASHBOARD_STAT_TIMEOUT_MS: '1000',
      DASHBOARD_TEST_DELAY_MS_CHURN: '4000',
    },
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
});
afterAll(async () => {
  await browser?.close();
  await slowChurn?.close();
  await api?.close();
});

/** A page whose clock reads NOW (the server's), collecting console errors and uncaught exceptions. */
async function newPage(viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(NOW));
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

async function signIn(page: Page, baseUrl = api.baseUrl): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
}

const card = (page: Page, title: string): Locator => page.getByRole('region', { name: title, exact: true });
const text = (locator: Locator) => expect.poll(async () => (await locator.innerText()).replace(/\s+/g, ' '), { timeout: 20_000 });

describe('Dashboard in Chromium', () => {
  it('shows the four cards for the seeded history, follows the month and the app, draws the charts, exports a CSV', async () => {
    const { page, errors } = await newPage();
    await signIn(page);
    await text(card(page, 'MRR')).toContain('฿598.00 THB');
    await text(card(page, 'MRR')).toContain('$10.00 USD');
    await text(card(page, 'Active subscriptions')).toContain('3 Active 2 · Past due 1 · Trialing 0');
    await text(card(page, 'Churn rate')).toContain('25.0% 1 churned ÷ (3 paying at start + 1 new), last 30 days');
    await text(card(page, 'Revenue')).toContain('฿797.00 THB net Gross ฿897.00 · Refunds ฿100.00');
    await text(card(page, 'Revenue')).toContain('$0.00 USD net');
    for (const chart of ['MRR by month (THB)', 'New vs churned subscriptions', 'Revenue by month (THB)']) {
      await expect.poll(() => page.getByRole('figure', { name: chart }).locator('.recharts-wrapper').count(), { timeout: 20_000 }).toBe(1);
    }
    await text(page.getByRole('table', { name: 'MRR movements' })).toContain('THB ฿598.00 ฿299.00 ฿0.00 ฿0.00 ฿299.00 ฿0.00 ฿598.00');
    await page.getByRole('button', { name: 'How Churn rate is defined' }).hover();
    await expect.poll(() => card(page, 'Churn rate').getByRole('tooltip').isVisible()).toBe(true);
    await text(card(page, 'Churn rate').getByRole('tooltip')).toContain('A subscriber churns when their MRR goes from above 0 to 0');
    await page.getByRole('figure', { name: 'Revenue by month (THB)' }).locator('.recharts-bar-rectangle').last().hover();
    await expect.poll(() => page.locator('.recharts-tooltip-wrapper').last().innerText(), { timeout: 10_000 }).toContain('Gross');
    await page.screenshot({ path: `${ARTIFACTS}/admin-dashboard-1280.png`, fullPage: true });

    await page.getByLabel('Month', { exact: true }).fill('2026-10');
    await text(card(page, 'Active subscriptions')).toContain('4 Active 3 · Past due 0 · Trialing 1');
    await text(card(page, 'Revenue')).toContain('฿598.00 THB net');
    await text(card(page, 'Revenue')).toContain('$120.00 USD net');
    await text(card(page, 'Churn rate')).toContain('0.0%');
    await page.getByLabel('App', { exact: true }).selectOption({ label: 'Lyra (lyra)' });
    await text(card(page, 'MRR')).toContain('฿299.00 THB');
    await text(card(page, 'Active subscriptions')).toContain('1 Active 1 · Past due 0 · Trialing 0');
    await text(card(page, 'Revenue')).toContain('฿299.00 THB net');
    await page.getByLabel('Chart currency', { exact: true }).selectOption('usd');
    await text(page.getByRole('figure', { name: 'MRR by month (USD)' })).toContain('No USD MRR in these 12 months.');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export subscriptions' }).click()]);
    expect(download.suggestedFilename()).toBe('subscriptions-lyra-2026-11-20.csv');
    const rows = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^id,app,customerId,externalUserId,/);
    expect(rows[1]).toMatch(/^[^,]+,lyra,[^,]+,u4,,pro,CANCELED,CHECKOUT,BASE,/);
    await page.getByLabel('App', { exact: true }).selectOption({ label: 'All apps' });
    const [invoices] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export invoices (2026-10)' }).click()]);
    expect(invoices.suggestedFilename()).toBe('invoices-2026-10-01-to-2026-10-31.csv');
    const invoiceRows = readFileSync((await invoices.path())!, 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(invoiceRows.map((row) => row.split(',').slice(8, 10).join(' ')).sort()).toEqual(['thb 29900', 'thb 29900', 'usd 12000']);
    expect(errors).toEqual([]);
  }, 180_000);

  it('is readable on a phone (390x844)', async () => {
    const { page, errors } = await newPage({ width: 390, height: 844 });
    await signIn(page);
    await text(card(page, 'Churn rate')).toContain('25.0%');
    await expect.poll(() => page.locator('.recharts-wrapper').count(), { timeout: 20_000 }).toBe(3);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/admin-dashboard-390.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);

  it('a card whose figure times out shows "--" with Retry, and only that card', async () => {
    const { page, errors } = await newPage();
    await signIn(page, slowChurn.baseUrl);
    await text(card(page, 'Churn rate')).toContain('-- Took too long to compute. Retry');
    await text(card(page, 'MRR')).toContain('฿598.00 THB');
    await text(card(page, 'Active subscriptions')).toContain('3 Active 2');
    await text(card(page, 'Revenue')).toContain('฿797.00 THB net');
    for (const title of ['MRR', 'Active subscriptions', 'Revenue']) expect(await card(page, title).innerText()).not.toContain('--');
    await page.screenshot({ path: `${ARTIFACTS}/admin-dashboard-timeout.png`, fullPage: true });
    await card(page, 'Churn rate').getByRole('button', { name: 'Retry' }).click();
    await text(card(page, 'Churn rate')).toContain('-- Took too long to compute. Retry');
    // The browser reports each 504 answer as a failed resource; nothing else may be logged.
    expect(errors.filter((e) => !/status of 504/.test(e))).toEqual([]);
  }, 120_000);
});
