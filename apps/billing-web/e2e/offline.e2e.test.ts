import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCalls, shot, startE2E, subscribeThroughUi, type E2E } from './harness.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('offline and unanswered requests', () => {
  it('offline: a notice, an action fails at once with a message, and nothing runs by itself on reconnect', async () => {
    const { page, context } = await e2e.openSession({ userId: 'otto' });
    await subscribeThroughUi(page, 'Pro', 'otto@example.com');
    const plan = page.getByRole('region', { name: 'Current plan' });
    await plan.getByText('Renews on').waitFor();

    await context.setOffline(true);
    await page.getByRole('alert').getByText("You're offline").waitFor();
    await shot(page, 'offline-dashboard');
    const cancels = countCalls(page, 'billing.subscription.cancel');
    await plan.getByRole('button', { name: 'Cancel plan' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel your Pro plan?' });
    const started = Date.now();
    await dialog.getByRole('button', { name: 'Cancel plan' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/couldn't reach the billing service/)
      .waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await dialog.getByRole('button', { name: 'Cancel plan' }).isEnabled()).toBe(true);

    // Back online: the failed cancellation was not queued, so it does not run on its own.
    await context.setOffline(false);
    await page.getByText("You're offline").waitFor({ state: 'detached' });
    await page.waitForTimeout(2_000);
    expect((await e2e.eligibility('otto')).base?.cancelAtPeriodEnd).toBe(false);
    // The subscriber's own retry runs it, once.
    await dialog.getByRole('button', { name: 'Cancel plan' }).click();
    await page
      .getByRole('status')
      .getByText(/Your plan has been canceled/)
      .waitFor();
    expect((await e2e.eligibility('otto')).base?.cancelAtPeriodEnd).toBe(true);
    expect(cancels()).toBe(2); // one per click: the failed offline one, the retry; none replayed on reconnect
    expect(await e2e.api.prisma.auditLog.count({ where: { action: 'subscription.cancel_requested' } })).toBe(1);
    await context.close();
  }, 120_000);

  it('a request with no answer times out with a message and a retry button, and the retry loads it', async () => {
    const { page, context } = await e2e.openSession({ userId: 'tess' });
    await page.getByRole('region', { name: 'Current plan' }).waitFor();
    // The invoice list's request gets no answer at all (a dead connection) until the route is lifted.
    let hold = true;
    await context.route(/\/trpc\/[^?]*billing\.invoices/, (route) => (hold ? undefined : route.continue()));
    await page.reload();
    // Batched with the rest of the page's first requests: the whole page says so, with a retry.
    const started = Date.now();
    await page
      .getByText(/taking too long to answer/)
      .first()
      .waitFor({ timeout: 40_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    await shot(page, 'request-timeout');
    hold = false;
    await page.getByRole('button', { name: 'Try again' }).first().click();
    await page
      .getByRole('region', { name: 'Invoice history' })
      .getByText(/No invoices yet|Invoice/)
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await page.getByText('taking too long to answer').count()).toBe(0);
    await context.close();
  }, 120_000);
});
