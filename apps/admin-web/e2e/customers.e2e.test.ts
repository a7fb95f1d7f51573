import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TEST_ACTOR } from '@aquoris/api/testing';
import { createCatalog, settle, startStripeTestStack, subscribe, type Catalog, type StripeTestStack } from '@aquoris/api/testing/stripe';
import { createAdmin, ensureCustomer } from '@aquoris/core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const ADMIN = { email: 'ops@example.com', password: 'correct horse battery', name: 'Ops' };
const VIEWER = { email: 'viewer@example.com', password: 'viewer password 1', name: 'Viewer', role: 'VIEWER' } as const;
const DAY = 86_400_000;
let stack: StripeTestStack;
let catalog: Catalog;
let browser: Browser;
let page: Page;

/** A customer with a paid Stripe subscription to PRO (Checkout through the emulator, confirmed by its webhooks). */
async function stripeCustomer(externalUserId: string, name: string) {
  const sub = await stack.subscriber(catalog.app, externalUserId, { email: `${externalUserId}@example.com`, name });
  const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
  return stripeSubscriptionId;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startStripeTestStack();
  catalog = await createCatalog(stack);
  const deps = stack.api.server.deps;
  await createAdmin(deps, TEST_ACTOR, ADMIN);
  await createAdmin(deps, TEST_ACTOR, VIEWER);
  await stack.api.createApp({ slug: 'other', name: 'Other' });
  await stack.api.grantSubscription({ appSlug: catalog.app.slug, externalUserId: 'mia-manual', planSlug: 'pro', days: 30 });
  await ensureCustomer(deps, catalog.app.id, 'mia-manual', { email: 'Mia@Example.com', name: 'Mia Manual' });
  for (let i = 1; i <= 60; i++) await ensureCustomer(deps, catalog.app.id, `bulk-${String(i).padStart(3, '0')}`, { email: `bulk${i}@example.com` });
  await stripeCustomer('sam-stripe', 'Sam Stripe');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  page = await signedIn(ADMIN);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function signedIn(who: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await context.newPage();
  await p.goto(`${stack.api.baseUrl}/admin/customers`);
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(`${stack.api.baseUrl}/admin/customers`);
  return p;
}

/** The page (or what is open on it) at desktop and phone sizes. */
async function shoot(name: string, p: Page = page): Promise<void> {
  await p.screenshot({ path: `${ARTIFACTS}/${name}.png` });
  await p.setViewportSize({ width: 390, height: 844 });
  await p.screenshot({ path: `${ARTIFACTS}/${name}-phone.png`, fullPage: true });
  await p.setViewportSize({ width: 1280, height: 800 });
}

async function openCustomer(externalUserId: string, p: Page = page): Promise<void> {
  await p.goto(`${stack.api.baseUrl}/admin/customers?q=${encodeURIComponent(externalUserId)}`);
  await p.getByRole('link', { name: externalUserId, exact: true }).click();
  await p.getByRole('heading', { name: 'Current subscriptions' }).waitFor();
}

const dialog = () => page.getByRole('dialog');
/** Fills the open dialog's fields by their labels (a select gets the option of that value). */
async function fill(values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) {
    const field = dialog().getByLabel(label, { exact: true });
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}
const text = (name: string) => page.getByRole('table', { name }).textContent();
const subscriptionOf = (externalUserId: string) =>
  stack.api.prisma.subscription.findFirstOrThrow({ where: { customer: { externalUserId } }, orderBy: { createdAt: 'desc' } });

describe('Customers in Chromium', () => {
  it('searches by a prefix of id, email or name in any case, in one app or all, a page at a time', async () => {
    await page.getByRole('table', { name: 'Customers' }).waitFor();
    await shoot('customers-list');
    await page.getByLabel('Search customers').fill('BULK-0');
    await page.waitForURL(/\?q=BULK-0$/); // typing settled: the list now loads for this search
    await expect.poll(() => page.getByText('50 customers shown').count()).toBe(1);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => page.getByText('60 customers shown (all)').count()).toBe(1);
    await page.getByLabel('Search customers').fill('mia@');
    await expect.poll(() => page.getByRole('table', { name: 'Customers' }).locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Search customers').fill('sam stripe');
    await expect.poll(() => text('Customers')).toContain('sam-stripe');
    await page.getByLabel('App').selectOption('other');
    await expect.poll(() => page.getByText('No customer matches this search.').count()).toBe(1);
    await page.getByLabel('App').selectOption(catalog.app.slug);
    await page.getByRole('link', { name: 'sam-stripe' }).click();
    await expect.poll(() => text('Current subscriptions')).toContain('PRO');
    expect(await page.getByRole('region', { name: 'Profile' }).textContent()).toContain('sam-stripe@example.com');
    await expect.poll(() => text('Invoices')).toContain('฿299.00');
    await shoot('customer-detail');
  }, 180_000);

  it('Cancel Sub and Resume, on a manual subscription (here) and a Stripe one (through Stripe); each in the audit entries', async () => {
    for (const [who, stripe] of [
      ['mia-manual', false],
      ['sam-stripe', true],
    ] as const) {
      await openCustomer(who);
      await page.getByRole('button', { name: 'Cancel Sub' }).click();
      if (!stripe) await shoot('customer-cancel');
      await dialog().getByRole('button', { name: 'Cancel Sub' }).click();
      await expect.poll(() => text('Current subscriptions')).toContain('Active, ends at period end');
      expect((await subscriptionOf(who)).cancelAtPeriodEnd).toBe(true);
      await page.getByRole('button', { name: 'Resume' }).click();
      if (!stripe) await shoot('customer-resume');
      await dialog().getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Cancel Sub' }).count()).toBe(1);
      expect((await subscriptionOf(who)).cancelAtPeriodEnd).toBe(false);
      await expect.poll(() => text('Audit entries')).toMatch(/subscription\.resumed[\s\S]*subscription\.cancel_requested/);
      if (stripe) expect((await stack.stripe.subscriptions.retrieve((await subscriptionOf(who)).stripeSubscriptionId!)).cancel_at_period_end).toBe(false);
    }
  }, 180_000);

  it('Extend needs Days and Reason; a manual period moves here, a Stripe next billing date through Stripe (trial_end), confirmed by the webhook', async () => {
    await openCustomer('mia-manual');
    const before = (await subscriptionOf('mia-manual')).currentPeriodEnd.getTime();
    await page.getByRole('button', { name: 'Extend' }).click();
    await dialog().getByRole('button', { name: 'Extend' }).click();
    await expect.poll(() => dialog().textContent()).toMatch(/Days enter a number of days[\s\S]*Reason must not be empty/);
    await shoot('customer-extend');
    await fill({ Days: '10', Reason: 'support ticket 42' });
    await dialog().getByRole('button', { name: 'Extend' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('now runs until');
    expect((await subscriptionOf('mia-manual')).currentPeriodEnd.getTime()).toBe(before + 10 * DAY);

    await openCustomer('sam-stripe');
    const stripeId = (await subscriptionOf('sam-stripe')).stripeSubscriptionId!;
    const periodEnd = (await stack.stripe.subscriptions.retrieve(stripeId)).items.data[0]!.current_period_end;
    await page.getByRole('button', { name: 'Extend' }).click();
    await fill({ Days: '5', Reason: 'outage credit' });
    await dialog().getByRole('button', { name: 'Extend' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('now runs until');
    expect((await stack.stripe.subscriptions.retrieve(stripeId)).trial_end).toBe(periodEnd + 5 * 86_400);
    await settle(stack);
    expect((await subscriptionOf('sam-stripe')).currentPeriodEnd.getTime()).toBe((periodEnd + 5 * 86_400) * 1000);
  }, 180_000);

  it('Grant Subscription: Plan, Days, Reason', async () => {
    await openCustomer('bulk-001');
    await page.getByRole('button', { name: 'Grant Subscription' }).click();
    await fill({ Plan: 'team', Days: '14', Reason: 'partner account' });
    await shoot('customer-grant');
    await dialog().getByRole('button', { name: 'Grant Subscription' }).click();
    await expect.poll(() => text('Current subscriptions')).toContain('Team (team)');
    expect(await subscriptionOf('bulk-001')).toMatchObject({ source: 'MANUAL', status: 'ACTIVE' });
  }, 120_000);

  it('Record Payment: the amount as typed in major units, errors beside their field, and a double click records one payment', async () => {
    await openCustomer('bulk-002');
    await page.getByRole('button', { name: 'Record Payment' }).click();
    await fill({ Amount: '29.999', Currency: 'thb', 'Payment method': 'cash', 'Reference number': 'R-2026-001', Plan: 'pro', 'Duration (days)': '30' });
    await dialog().getByRole('button', { name: 'Record Payment' }).click();
    await expect.poll(() => page.locator('#payment-amount-error').textContent()).toBe('Amount THB has 2 decimal places; "29.999" has 3');
    await shoot('customer-record-payment');
    await dialog().getByLabel('Amount').fill('299.00');
    expect(await dialog().getByLabel('Reference number').inputValue()).toBe('R-2026-001'); // the failed try kept the form
    await dialog().getByRole('button', { name: 'Record Payment' }).dblclick();
    await expect.poll(() => text('Invoices')).toContain('Cash, ref. R-2026-001');
    await expect.poll(() => text('Current subscriptions')).toContain('PRO (pro)');
    const invoices = await stack.api.prisma.invoice.findMany({ where: { customer: { externalUserId: 'bulk-002' } } });
    expect(invoices).toEqual([expect.objectContaining({ source: 'MANUAL', status: 'PAID', amount: 29_900, currency: 'thb' })]);
  }, 120_000);

  it('Refund a manual invoice: the remainder to start with, too much refused beside Amount, then in parts, the last with an immediate cancel', async () => {
    await openCustomer('bulk-002');
    await page.getByRole('button', { name: 'Refund' }).click();
    expect(await dialog().getByLabel('Amount').inputValue()).toBe('299.00');
    await fill({ Amount: '400.00', Reason: 'overpaid' });
    await dialog().getByRole('button', { name: 'Refund' }).click();
    await expect.poll(() => page.locator('#refund-amount-error').textContent()).toContain('is more than the refundable remainder ฿299.00');
    await shoot('customer-refund');
    await dialog().getByLabel('Amount').fill('100.00');
    await dialog().getByRole('button', { name: 'Refund' }).click();
    await expect.poll(() => text('Invoices')).toContain('฿100.00: Refunded, “overpaid”');

    await page.getByRole('button', { name: 'Refund' }).click();
    expect(await dialog().getByLabel('Amount').inputValue()).toBe('199.00');
    await dialog().getByLabel('Also cancel subscription immediately').check();
    await dialog().getByRole('button', { name: 'Refund' }).click();
    await expect.poll(() => text('Past subscriptions')).toContain('Canceled');
    expect(await page.getByRole('button', { name: 'Refund' }).count()).toBe(0); // nothing left to refund
    expect(await subscriptionOf('bulk-002')).toMatchObject({ status: 'CANCELED' });
  }, 120_000);

  it('Refund a Stripe invoice: pending until charge.refunded arrives; a failed immediate cancel is a warning and the refund stands', async () => {
    await openCustomer('sam-stripe');
    await page.getByRole('button', { name: 'Refund' }).click();
    await dialog().getByLabel('Amount').fill('50.00');
    await dialog().getByRole('button', { name: 'Refund' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('pending until Stripe confirms it');
    await expect.poll(() => text('Invoices'), { timeout: 30_000 }).toContain('฿50.00: Refunded');

    const caraSubscription = await stripeCustomer('cara-stripe', 'Cara Stripe');
    await openCustomer('cara-stripe');
    await stack.control('POST', '/faults', { method: 'DELETE', path: '/v1/subscriptions/:id', status: 500 });
    try {
      await page.getByRole('button', { name: 'Refund' }).click();
      await dialog().getByLabel('Also cancel subscription immediately').check();
      await dialog().getByRole('button', { name: 'Refund' }).click();
      await expect.poll(() => page.locator('.notice.warning').textContent()).toContain('The refund was recorded, but the subscription could not be canceled');
    } finally {
      await stack.control('DELETE', '/faults');
    }
    await shoot('customer-refund-warning');
    await expect.poll(() => text('Invoices'), { timeout: 30_000 }).toContain('฿299.00: Refunded');
    expect((await stack.stripe.subscriptions.retrieve(caraSubscription)).status).toBe('active');
    await expect.poll(() => text('Audit entries')).toContain('subscription.cancel_failed');
  }, 240_000);

  it('a VIEWER sees the customer but none of the change buttons', async () => {
    const viewer = await signedIn(VIEWER);
    await openCustomer('mia-manual', viewer);
    await viewer.getByText('No invoices yet.').waitFor();
    for (const name of ['Cancel Sub', 'Resume', 'Extend', 'Grant Subscription', 'Record Payment', 'Refund']) {
      expect(await viewer.getByRole('button', { name }).count()).toBe(0);
    }
    await shoot('customer-viewer', viewer);
  }, 120_000);
});
