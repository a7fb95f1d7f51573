import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAdmin } from '../testing/admin.ts';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { adminPageGuard } from './admin-pages.ts';
import { mountWebApps } from './web-apps.ts';

let api: TestApi;
let base: string;
let close: () => void;
beforeAll(async () => {
  api = await startTestApi();
  // A built console in a fixture directory, served the way the API serves apps/admin-web/dist.
  const apps = mkdtempSync(join(tmpdir(), 'aqb-admin-web-'));
  mkdirSync(join(apps, 'admin-web/dist/assets'), { recursive: true });
  writeFileSync(join(apps, 'admin-web/dist/index.html'), '<!doctype html><title>admin shell</title>');
  writeFileSync(join(apps, 'admin-web/dist/assets/app.js'), 'console.log(1)');
  const app = express();
  mountWebApps(app, apps, { '/admin': adminPageGuard(api.server.deps) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(async () => {
  close?.();
  await api?.close();
});

describe('/admin pages', () => {
  it('without a session every page but the login page redirects to /admin/login, naming the page to come back to', async () => {
    for (const path of ['/admin', '/admin/', '/admin/apps', '/admin/customers?q=ann']) {
      const res = await fetch(`${base}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
    }
    const login = await fetch(`${base}/admin/login?next=%2Fadmin%2Fapps`, { redirect: 'manual' });
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('admin shell');
    expect(await (await fetch(`${base}/admin/assets/app.js`)).text()).toBe('console.log(1)');
  });

  it('with a live session the pages are served; after sign-out the same cookie is redirected again', async () => {
    const admin = await signedInAdmin(api);
    const page = await fetch(`${base}/admin/plans`, { headers: { cookie: admin.cookie }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('admin shell');
    await admin.mutate('admin.auth.signOut');
    expect((await fetch(`${base}/admin/plans`, { headers: { cookie: admin.cookie }, redirect: 'manual' })).status).toBe(303);
  });
});
