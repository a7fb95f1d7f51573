/**
 * The example app against the real API: the SDK it imports is the workspace's built package (as
 * `npm install` of the tarball would give it), the API is apps/api's test server (PostgreSQL, Redis).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestApi, type TestApi } from '../../apps/api/src/testing/index.ts';
import { ensureBuilt } from '../../packages/sdk/test/build.ts';

let api: TestApi;
let server: Server;
let base: string;

beforeAll(async () => {
  await ensureBuilt();
  api = await startTestApi();
  const app = await api.createApp({ slug: 'example', returnUrl: 'http://127.0.0.1/' });
  await api.createPlan({ slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month' });
  const { AquorisBilling } = await import('@aquoris/billing-sdk');
  const { createExampleServer } = (await import('./server.js')) as typeof import('./server.js');
  const billing = new AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: api.baseUrl, maxRetries: 0 });
  server = createExampleServer({ billing, publicUrl: 'http://127.0.0.1:0' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await api?.close();
});

const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });

describe('examples/gated-feature against the real API', () => {
  it('without a plan: Reports is refused with an upgrade link, and /upgrade opens a billing session for pro', async () => {
    const home = await get('/?user=ada');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Reports need PRO. <a href="/upgrade?user=ada">Upgrade</a>');
    const reports = await get('/reports?user=ada');
    expect(reports.status).toBe(402);

    const upgrade = await get('/upgrade?user=ada');
    expect(upgrade.status).toBe(303);
    const sessionUrl = upgrade.headers.get('location')!;
    expect(sessionUrl.startsWith(`${api.baseUrl}/session/`)).toBe(true);
    // The link is real: the API opens it and lands on the plans page with pro chosen.
    const opened = await fetch(sessionUrl, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/billing/plans?plan=pro');
    expect(opened.headers.get('set-cookie')).toMatch(/^aqb_session=/);

    const manage = await get('/billing?user=ada');
    expect(manage.status).toBe(303);
    expect((await fetch(manage.headers.get('location')!, { redirect: 'manual' })).headers.get('location')).toBe('/billing');
  });

  it('a pro subscriber gets Reports', async () => {
    await api.grantSubscription({ appSlug: 'example', externalUserId: 'bea', planSlug: 'pro', days: 30 });
    const home = await (await get('/?user=bea')).text();
    expect(home).toContain('Your plan: Aquoris PRO (active)');
    const reports = await get('/reports?user=bea');
    expect(reports.status).toBe(200);
    expect(await reports.text()).toContain('42 new customers');
  });

  it('no user: asked to sign in; billing unreachable: fails closed with a 503 page', async () => {
    expect((await get('/')).status).toBe(401);
    const { AquorisBilling } = await import('@aquoris/billing-sdk');
    const { createExampleServer } = (await import('./server.js')) as typeof import('./server.js');
    const offline = createExampleServer({
      billing: new AquorisBilling({ apiKey: 'k', appSlug: 'example', baseUrl: `http://127.0.0.1:${await freePort()}`, maxRetries: 0 }),
      publicUrl: 'http://127.0.0.1:0',
    });
    await new Promise<void>((resolve) => offline.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(offline.address() as AddressInfo).port}/reports?user=ada`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Billing is unavailable');
    } finally {
      await new Promise((resolve) => offline.close(resolve));
    }
  });
});
