import { startFakeSentry, startTestApi, throwInPageUntilReported, type FakeSentry, type TestApi } from '@aquoris/api/testing';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The Sentry drill (issue 14), browser side: the API serves the billing pages with NEXT_PUBLIC_SENTRY_DSN
// set to a local fake ingest; an uncaught error in the page arrives there, with no cookie or API key.
let api: TestApi;
let sentry: FakeSentry;
let browser: Browser;
const SESSION_COOKIE = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZW50cnktZHJpbGwifQ.c2lnbmF0dXJlLW9mLWRyaWxs';

beforeAll(async () => {
  sentry = await startFakeSentry();
  api = await startTestApi({ env: { NEXT_PUBLIC_SENTRY_DSN: sentry.dsn, NEXT_PUBLIC_SENTRY_ENVIRONMENT: 'staging' } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await sentry?.close();
}, 120_000);

describe('error tracking in the billing pages', () => {
  it('reports an uncaught browser error with its environment, and no cookie or API key', { timeout: 120_000 }, async () => {
    const { apiKey } = await api.createApp();
    const context = await browser.newContext();
    await context.addCookies([{ name: 'aqb_session', value: SESSION_COOKIE, url: api.baseUrl }]);
    const page = await context.newPage();
    await page.goto(`${api.baseUrl}/billing`);
    expect(await page.locator('meta[name="aqb-sentry-dsn"]').getAttribute('content')).toBe(sentry.dsn);

    const envelope = await throwInPageUntilReported(page, sentry, `billing drill with ${apiKey}`, 'billing drill with [redacted]');
    expect(envelope).toContain('"environment":"staging"');
    expect(envelope).toContain('"component":"billing-web"');
    for (const secret of [apiKey, SESSION_COOKIE]) expect(envelope).not.toContain(secret);
    await context.close();
  });
});
