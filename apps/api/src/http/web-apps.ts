import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { renderMessagePage } from './pages.ts';

const WEB_APPS = [
  { mount: '/billing', dist: '../../../billing-web/dist', title: 'Billing' },
  { mount: '/admin', dist: '../../../admin-web/dist', title: 'Admin' },
];

/**
 * Serves the built React apps under their paths (same origin as the API, so
 * the session cookie just works), with an SPA fallback to index.html.
 */
export function mountWebApps(app: Express): void {
  for (const web of WEB_APPS) {
    const dir = fileURLToPath(new URL(web.dist, import.meta.url));
    if (existsSync(`${dir}/index.html`)) {
      app.use(web.mount, express.static(dir, { index: false, maxAge: '1h' }));
      app.get([web.mount, `${web.mount}/*path`], (_req, res) => {
        res.set('Cache-Control', 'no-store').sendFile(`${dir}/index.html`);
      });
    } else {
      app.get([web.mount, `${web.mount}/*path`], (_req, res) => {
        res
          .status(503)
          .type('html')
          .send(renderMessagePage({ title: `${web.title} is not built`, body: 'Run "pnpm build" to build the web apps.' }));
      });
    }
  }
}
