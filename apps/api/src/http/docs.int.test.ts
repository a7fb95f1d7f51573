import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../rest/routes.ts';
import { startTestApi, type TestApi } from '../testing/index.ts';

let api: TestApi;
let browser: Browser;

beforeAll(async () => {
  api = await startTestApi();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--headless'] });
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('/docs/api', () => {
  it('renders every operation with no console error and no failed request (the favicon included)', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (request) => problems.push(`failed ${request.url()}`));
    await page.goto(`${api.baseUrl}/docs/api`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBe(ROUTES.length);
    expect(problems).toEqual([]);
  }, 60_000);

  it('/favicon.ico is a real 32×32 icon, and the docs page points at it (browsers ask every page of the origin for it)', async () => {
    const res = await fetch(`${api.baseUrl}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 1, 0]); // ICONDIR, type 1 = icon
    const docs = await (await fetch(`${api.baseUrl}/docs/api`)).text();
    expect(docs).toContain('<link rel="icon" href="/favicon.ico" />');
    const page = await browser.newPage();
    await page.goto(`${api.baseUrl}/docs/api`);
    const size = await page.evaluate(
      () =>
        new Promise<number[] | null>((resolve) => {
          const image = new (globalThis as any).Image() as {
            naturalWidth: number;
            naturalHeight: number;
            onload: () => void;
            onerror: () => void;
            src: string;
          };
          image.onload = () => resolve([image.naturalWidth, image.naturalHeight]);
          image.onerror = () => resolve(null);
          image.src = '/favicon.ico';
        }),
    );
    expect(size).toEqual([32, 32]);
  }, 60_000);
});
