import { describe, expect, it } from 'vitest';
import { countCalls, shot, subscribeThroughUi, useE2E } from './harness.ts';

const e2e = useE2E();

describe('managing a subscription', () => {
  it('cancel (the dialog says when access ends, traps focus, closes on Escape), then resume', async () => {
    const { page, context } = await e2e.openSession({ userId: 'dee' });
    await subscribeThroughUi(page, 'Pro', 'dee@example.com');
    const plan = page.getByRole('region', { name: 'Current plan' });
    await plan.getByText('Active', { exact: true }).waitFor();
    await plan.getByText('Renews on').waitFor();
    const invoices = page.getByRole('region', { name: 'Invoice history' });
    await invoices.getByRole('row').nth(1).waitFor();
    expect(await invoices.getByRole('row').nth(1).textContent()).toContain('฿299.00');
    await shot(page, 'dashboard-active');

    const opener = plan.getByRole('button', { name: 'Cancel plan' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Cancel your Pro plan?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/You keep full access until \w+ \d+, \d{4}\./);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep my plan');
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel plan');
    expect((await e2e.eligibility('dee')).base?.cancelAtPeriodEnd).toBe(false);

    await opener.click();
    await dialog.waitFor();
    await shot(page, 'dialog-cancel', { viewportOnly: true });
    const cancels = countCalls(page, 'billing.subscription.cancel');
    await dialog.getByRole('button', { name: 'Cancel plan' }).dblclick();
    await page
      .getByRole('status')
      .getByText(/Your plan has been canceled\. You keep access until/)
      .waitFor();
    await plan.getByText(/^Your plan ends on /).waitFor();
    expect(cancels()).toBe(1);
    await shot(page, 'dashboard-ending');
    expect((await e2e.eligibility('dee')).base).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true });

    const resumes = countCalls(page, 'billing.subscription.resume');
    await plan.getByRole('button', { name: 'Resume plan' }).dblclick();
    await page
      .getByRole('status')
      .getByText(/Your plan is back on/)
      .waitFor();
    await plan.getByText('Renews on').waitFor();
    expect(resumes()).toBe(1);
    expect((await e2e.eligibility('dee')).base).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: false });
    await context.close();
  });

  it('an upgrade shows its proration preview and the amount due now before confirming', async () => {
    const { page, context } = await e2e.openSession({ userId: 'eve' });
    await subscribeThroughUi(page, 'Basic', 'eve@example.com');
    await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Plans' }).click();
    await page.getByRole('heading', { level: 1, name: 'Change your plan' }).waitFor();
    const basic = page.getByRole('listitem', { name: 'Basic' });
    expect(await basic.textContent()).toContain('Current plan');
    expect(await basic.getByRole('button', { name: 'Your current plan' }).isDisabled()).toBe(true);
    await shot(page, 'plans-change');

    await page.getByRole('listitem', { name: 'Pro' }).getByRole('button', { name: 'Switch to Pro' }).click();
    const dialog = page.getByRole('dialog', { name: 'Switch to Pro' });
    await dialog.getByText('Due today').waitFor();
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('From Basic to Pro');
    const due = /Pay (฿[\d,]+\.\d\d) and switch/.exec(text);
    expect(due).not.toBeNull();
    expect(due![1]).not.toBe('฿0.00');
    expect(text).toContain(`You'll be charged ${due![1]} today`);
    await shot(page, 'dialog-plan-change', { viewportOnly: true });

    const confirms = countCalls(page, 'billing.planChange.confirm');
    await dialog.getByRole('button', { name: `Pay ${due![1]} and switch` }).dblclick();
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await page.getByRole('status').getByText("You're now on Pro.").waitFor();
    await page.getByRole('region', { name: 'Current plan' }).getByText('Pro', { exact: true }).waitFor();
    expect(confirms()).toBe(1);
    expect((await e2e.eligibility('eve')).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' } });
    await shot(page, 'dashboard-after-upgrade');
    await context.close();
  });

  it('update payment method opens the customer portal, whose Return link comes back to billing', async () => {
    const { page, context } = await e2e.openSession({ userId: 'fay' });
    await subscribeThroughUi(page, 'Basic', 'fay@example.com');
    const portals = countCalls(page, 'billing.portal.create');
    await page.getByRole('button', { name: 'Update payment method' }).dblclick();
    await page.waitForURL((url) => url.origin === e2e.emulator.url && url.pathname.startsWith('/p/session/'));
    expect(portals()).toBe(1);
    await shot(page, 'emulator-portal');
    await page.getByRole('link', { name: 'Return', exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/billing'));
    await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await page.getByRole('region', { name: 'Current plan' }).getByText('Active', { exact: true }).waitFor();
    await context.close();
  });

  it('a manual (bank transfer) plan shows its end date, its invoice, and no Stripe actions', async () => {
    await e2e.api.grantSubscription({ appSlug: 'vega', externalUserId: 'gus', planSlug: 'pro', days: 365, reason: 'Paid by bank transfer' });
    const db = e2e.api.prisma;
    const customer = await db.customer.findFirstOrThrow({ where: { externalUserId: 'gus' } });
    await db.invoice.create({
      data: {
        appId: customer.appId,
        customerId: customer.id,
        source: 'MANUAL',
        status: 'PAID',
        amount: 299000,
        amountPaid: 299000,
        currency: 'thb',
        paymentMethod: 'Bank transfer',
        paidAt: new Date(),
      },
    });
    const { page, context } = await e2e.openSession({ userId: 'gus' });
    const plan = page.getByRole('region', { name: 'Current plan' });
    await plan.getByText('Runs until', { exact: true }).waitFor();
    expect(await plan.textContent()).toContain('arranged with the Vega team');
    expect(await plan.textContent()).toContain('฿299.00 / month');
    for (const name of ['Cancel plan', 'Update payment method', 'Resume plan']) expect(await plan.getByRole('button', { name }).count()).toBe(0);
    const row = page.getByRole('region', { name: 'Invoice history' }).getByRole('row').nth(1);
    await row.waitFor();
    expect(await row.textContent()).toContain('฿2,990.00');
    expect(await row.textContent()).toContain('Bank transfer');
    expect(await row.textContent()).toContain('Manual');
    await shot(page, 'dashboard-manual');
    await context.close();
  });
});
