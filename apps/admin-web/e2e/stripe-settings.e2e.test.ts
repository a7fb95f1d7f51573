import { describe, expect, it } from 'vitest';
import { shot, useConsoleE2E } from './harness.ts';

const e2e = useConsoleE2E({ stripe: true });

describe("an app's Stripe settings in Chromium, against an emulator account", () => {
  it('refuses a key of the wrong mode, saves, shows only the last 4 characters, validates and deactivates', async () => {
    const stack = e2e.stack!;
    const app = await e2e.api.createApp({ slug: 'vega-stripe' });
    const { body: account } = await stack.control('POST', '/accounts', { webhookUrls: { test: `${e2e.api.baseUrl}/api/v1/webhooks/stripe/${app.id}/test` } });
    const page = await e2e.newPage();
    await e2e.openSignedIn(page, 'apps');
    await page
      .getByRole('row', { name: /vega-stripe/ })
      .getByRole('link', { name: 'Stripe settings' })
      .click();
    await page.getByRole('heading', { name: 'Stripe settings of vega-stripe' }).waitFor();
    await expect.poll(() => page.getByRole('status', { name: 'Stripe account' }).textContent()).toContain("platform's Stripe account");
    expect(await page.getByRole('main').textContent()).toContain(`/api/v1/webhooks/stripe/${app.id}/live`);

    const form = page.getByRole('form', { name: 'Set keys' });
    await form.getByLabel('Mode', { exact: true }).selectOption('test');
    await form.getByLabel('Secret key').fill(account.live.secretKey);
    await form.getByLabel('Publishable key').fill(account.test.publishableKey);
    await form.getByLabel('Webhook signing secret').fill(account.test.webhookSecret);
    await form.getByRole('button', { name: 'Save keys' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('test.secretKey: a test-mode key must start with sk_test_ or rk_test_');

    await form.getByLabel('Secret key').fill(account.test.secretKey);
    await form.getByRole('button', { name: 'Save keys' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Stripe account' }).textContent()).toContain('own Stripe account, in test mode');
    const keys = page.getByRole('table', { name: 'Keys per mode' });
    await expect.poll(() => keys.textContent()).toContain(`…${account.test.secretKey.slice(-4)}`);
    await keys.getByRole('button', { name: 'Validate test key' }).click();
    await expect.poll(() => keys.textContent()).toContain(`Valid: account ${account.id} (test mode)`);
    const text = (await page.content()) + (await form.getByLabel('Secret key').inputValue());
    expect(text).not.toContain(account.test.secretKey);
    expect(text).not.toContain(account.test.webhookSecret);
    await page.getByRole('heading', { name: 'Stripe settings of vega-stripe' }).scrollIntoViewIfNeeded();
    await shot(page, 'stripe-settings');

    await page.getByRole('button', { name: 'Deactivate own keys' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Stripe account' }).textContent()).toContain("platform's Stripe account");
    const actions = await e2e.api.prisma.auditLog.findMany({
      where: { targetId: app.id, action: { startsWith: 'app.stripe_config' } },
      orderBy: { createdAt: 'asc' },
    });
    expect(actions.map((a) => [a.action, a.actorType])).toEqual([
      ['app.stripe_config.set', 'ADMIN'],
      ['app.stripe_config.validated', 'ADMIN'],
      ['app.stripe_config.deactivated', 'ADMIN'],
    ]);
  });
});
