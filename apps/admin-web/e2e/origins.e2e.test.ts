import { createApp } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { shot, useConsoleE2E } from './harness.ts';

const e2e = useConsoleE2E();

describe("An app's Allowed Origins in Chromium", () => {
  it('adds a wildcard, refuses a bad entry beside its field, removes one; each change audited; REST follows', async () => {
    const deps = e2e.api.server.deps;
    const { apiKey } = await createApp(deps, { type: 'system', name: 'e2e' }, { slug: 'shop', name: 'Shop', returnUrl: 'https://app.shop.example/settings' });
    const session = async (returnUrl: string) =>
      (await e2e.api.request('/api/v1/sessions', { method: 'POST', apiKey, json: { externalUserId: 'u1', appSlug: 'shop', returnUrl } })).status;
    expect(await session('https://pay.shop.example/back')).toBe(400);

    const page = await e2e.newPage();
    await e2e.openSignedIn(page, 'apps');
    await page.getByRole('button', { name: 'Allowed Origins' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Allowed Origins of shop' }).waitFor();
    await expect.poll(() => dialog.getByRole('list', { name: 'Allowed Origins' }).innerText()).toContain('https://app.shop.example');

    const origin = dialog.getByRole('textbox', { name: 'Origin' });
    await origin.fill('https://a.*.shop.example');
    await dialog.getByRole('button', { name: 'Add origin' }).click();
    await expect.poll(() => dialog.locator('#allowed-origin-error').textContent()).toContain('leftmost label');
    expect(await origin.inputValue()).toBe('https://a.*.shop.example'); // what was typed is kept

    await origin.fill('https://*.Shop.example/');
    await dialog.getByRole('button', { name: 'Add origin' }).click();
    await expect.poll(() => dialog.getByRole('list', { name: 'Allowed Origins' }).innerText()).toContain('https://*.shop.example');
    // The form is reset after the list re-renders with the saved entry: poll, the two need not land in one frame.
    await expect.poll(() => origin.inputValue()).toBe('');
    expect(await session('https://pay.shop.example/back')).toBe(200);

    await origin.fill('https://app.shop.example');
    await dialog.getByRole('button', { name: 'Add origin' }).click();
    await expect.poll(() => dialog.locator('#allowed-origin-error').textContent()).toContain('already an allowed origin');
    await shot(page, 'allowed-origins');

    await dialog.getByRole('button', { name: 'Remove https://app.shop.example' }).click();
    await expect.poll(async () => (await dialog.getByRole('list', { name: 'Allowed Origins' }).innerText()).includes('https://app.shop.example')).toBe(false);
    expect(await session('https://app.shop.example/settings')).toBe(200); // still a subdomain of the wildcard
    expect(await session('https://shop.example/')).toBe(400); // which does not cover the apex
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Apps' }).innerText()).toContain('https://*.shop.example');

    const audits = await e2e.api.prisma.auditLog.findMany({ where: { action: 'app.allowed_origins_changed' }, orderBy: { createdAt: 'asc' } });
    expect(audits.map((a) => a.details)).toEqual([
      { added: ['https://*.shop.example'], removed: [] },
      { added: [], removed: ['https://app.shop.example'] },
    ]);
  });
});
