import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { mountWebApps } from './web-apps.ts';

describe('mountWebApps', () => {
  it('serves the built app and its SPA routes from a checkout whose path has a dot-directory', async () => {
    const apps = join(mkdtempSync(join(tmpdir(), 'aqb-web-')), '.ci-clone', 'apps');
    mkdirSync(join(apps, 'billing-web/dist/assets'), { recursive: true });
    writeFileSync(join(apps, 'billing-web/dist/index.html'), '<!doctype html><title>billing shell</title>');
    writeFileSync(join(apps, 'billing-web/dist/assets/app.js'), 'console.log(1)');
    const app = express();
    mountWebApps(app, apps);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/billing', '/billing/', '/billing/plans', '/billing/checkout/success?session_id=cs_1']) {
        const res = await fetch(`${base}${path}`, { redirect: 'manual' });
        expect(res.status, path).toBe(200);
        expect(await res.text()).toContain('billing shell');
      }
      expect(await (await fetch(`${base}/billing/assets/app.js`)).text()).toBe('console.log(1)');
      const admin = await fetch(`${base}/admin`);
      expect(admin.status).toBe(503); // not built in this fixture: a clear page, not a crash
      expect(await admin.text()).toContain('not built');
    } finally {
      server.close();
    }
  });
});
