import { describe, expect, it } from 'vitest';
import { shot, subscribeThroughUi, useE2E } from './harness.ts';

const e2e = useE2E();

describe('renewals', () => {
  it('the invoice list shows the renewal invoice after the emulator clock passes the period end', async () => {
    const { page, context } = await e2e.openSession({ userId: 'lee' });
    await subscribeThroughUi(page, 'Pro', 'lee@example.com');
    const rows = page.getByRole('region', { name: 'Invoice history' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);

    await context.close();

    // A month later (the API's clock follows the emulator's), the subscriber comes back through a fresh link.
    await e2e.advanceDays(32);
    const later = await e2e.openSession({ userId: 'lee' });
    const laterRows = later.page.getByRole('region', { name: 'Invoice history' }).locator('tbody tr');
    // The worker applies the renewal webhooks asynchronously: reload until the invoice is there.
    await expect
      .poll(
        async () => {
          await later.page.reload();
          await later.page.locator('section[aria-labelledby="invoices-heading"][aria-busy="false"]').waitFor();
          return laterRows.count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(2);
    const texts = await laterRows.allTextContents();
    for (const text of texts) {
      expect(text).toContain('฿299.00');
      expect(text).toContain('Paid');
    }
    expect(texts[0]).not.toBe(texts[1]);
    await shot(later.page, 'dashboard-invoices-after-renewal');
    expect((await e2e.eligibility('lee')).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' } });
    await later.context.close();
  });

  it('a failed renewal is past due: what to do, and after cancelling, when the plan ends', async () => {
    const { page, context } = await e2e.openSession({ userId: 'mo' });
    await subscribeThroughUi(page, 'Pro', 'mo@example.com');
    await context.close();
    const customer = await e2e.api.prisma.customer.findFirstOrThrow({ where: { externalUserId: 'mo' } });
    // The renewal and its retries (every 3 days) decline.
    const failing = await fetch(`${e2e.emulator.url}/__emulator/customers/${customer.stripeCustomerId}/fail_next_charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ times: 3 }),
    });
    expect(failing.status).toBe(200);
    await e2e.advanceDays(32);

    const later = await e2e.openSession({ userId: 'mo' });
    const plan = later.page.getByRole('region', { name: 'Current plan' });
    await expect
      .poll(
        async () => {
          await later.page.reload();
          await later.page.locator('section[aria-labelledby="plan-heading"][aria-busy="false"]').waitFor();
          return plan.getByText('Payment failed', { exact: true }).count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    expect(await plan.textContent()).toContain("We couldn't take your last payment. Update your payment method");
    await shot(later.page, 'dashboard-past-due');

    await plan.getByRole('button', { name: 'Cancel plan' }).click();
    await later.page.getByRole('dialog').getByRole('button', { name: 'Cancel plan' }).click();
    await plan.getByText(/^Your plan ends on \w+ \d+, \d{4}\. We couldn't take your last payment/).waitFor();
    expect(await plan.getByRole('button', { name: 'Resume plan' }).count()).toBe(1);
    await shot(later.page, 'dashboard-past-due-ending');
    expect((await e2e.eligibility('mo')).base).toMatchObject({ status: 'PAST_DUE', cancelAtPeriodEnd: true });
    await later.context.close();
  });
});
