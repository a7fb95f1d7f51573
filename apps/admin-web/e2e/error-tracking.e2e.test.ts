import { startFakeSentry, startTestApi, throwInPageUntilReported } from '@aquoris/api/testing';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

// The Sentry drill (issue 14) for the admin console: with NEXT_PUBLIC_SENTRY_DSN set, an uncaught error on
// the sign-in page arrives at the fake ingest, tagged admin-web, without the admin cookie's value.
describe('error tracking in the admin console', () => {
  it('reports an uncaught browser error, scrubbed', { timeout: 180_000 }, async () => {
    const sentry = await startFakeSentry();
    const api = await startTestApi({ env: { NEXT_PUBLIC_SENTRY_DSN: sentry.dsn } });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: 'aqb_admin', value: 'admin-cookie-value-0123456789', url: api.baseUrl }]);
      const page = await context.newPage();
      await page.goto(`${api.baseUrl}/admin/login`);
      await expect.poll(() => page.getByRole('heading').first().isVisible(), { timeout: 30_000 }).toBe(true);
      const envelope = await throwInPageUntilReported(page, sentry, 'admin drill: Bearer abcdefgh12345678', 'admin drill: Bearer [redacted]');
      expect(envelope).toContain('"component":"admin-web"');
      expect(envelope).toContain('"environment":"test"'); // NODE_ENV when no environment name is set
      expect(envelope).not.toContain('admin-cookie-value-0123456789');
      expect(envelope).not.toContain('abcdefgh12345678');
    } finally {
      await browser.close();
      await api.close();
      await sentry.close();
    }
  });
});
