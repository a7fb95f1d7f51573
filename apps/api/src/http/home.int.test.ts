import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';

/** `/`: where the demo app's return URL and the checkout success page's auto-redirect land. */
describe('the start page at /', () => {
  let dev: TestApi;
  let prod: TestApi;
  beforeAll(async () => {
    dev = await startTestApi({ env: { NODE_ENV: 'development', SEED_APP_SLUG: 'demo' } });
    prod = await startTestApi({
      env: {
        NODE_ENV: 'production',
        STRIPE_SECRET_KEY: 'sk_test_x',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        API_KEY_ENCRYPTION_SECRET: 'prod-api-key-encryption-secret-0123456789',
        STRIPE_CONFIG_ENCRYPTION_KEY: 'prod-stripe-config-encryption-key-0123456789',
        SEED_APP_SLUG: 'demo',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await dev?.close();
    await prod?.close();
  });

  it('is an HTML page linking to /billing, /admin and /docs/api, not a JSON 404', async () => {
    const res = await fetch(`${dev.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const href of ['/billing', '/admin', '/docs/api']) expect(html).toContain(`href="${href}"`);
  });

  it('in development, shows the demo app’s API key, which works against the API', async () => {
    const { apiKey } = await dev.createApp({ slug: 'demo' });
    const res = await fetch(`${dev.baseUrl}/`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain(`<code data-testid="api-key">${apiKey}</code>`);
    expect((await dev.request('/api/v1/plans', { apiKey })).status).toBe(200);
    // Looking at the page is no operator action: nothing is audited.
    expect(await dev.prisma.auditLog.count({ where: { action: 'app.api_key_revealed' } })).toBe(0);
  });

  it('in production, never shows a key', async () => {
    const { apiKey } = await prod.createApp({ slug: 'demo' });
    const res = await fetch(`${prod.baseUrl}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain(apiKey);
    expect(html).not.toContain('api-key');
    expect(html).toContain('href="/billing"');
  });
});
