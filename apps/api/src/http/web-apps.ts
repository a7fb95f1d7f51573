import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_TRACKING_META, type BrowserErrorTracking } from '@aquoris/core/error-tracking';
import express, { type Express, type RequestHandler } from 'express';
import { escapeHtml, renderMessagePage } from './pages.ts';

const WEB_APPS = [
  { mount: '/billing', dist: 'billing-web/dist', title: 'Billing' },
  { mount: '/admin', dist: 'admin-web/dist', title: 'Admin' },
];

/** apps/ — found by walking up to the API package, so it works from src/ and from the bundled dist/. */
function appsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dirname(dir);
}

/**
 * Serves the built React apps under their paths (same origin as the API, so
 * the session cookie just works), with an SPA fallback to index.html behind
 * the mount's page guard, if any.
 */
/** index.html with the error-tracking meta tags the app reads at start-up (browserErrorTracking in core). */
function withErrorTracking(html: string, config: BrowserErrorTracking): string {
  const tags = `<meta name="${ERROR_TRACKING_META.dsn}" content="${escapeHtml(config.dsn)}" /><meta name="${ERROR_TRACKING_META.environment}" content="${escapeHtml(config.environment)}" />${config.release ? `<meta name="${ERROR_TRACKING_META.release}" content="${escapeHtml(config.release)}" />` : ''}`;
  return html.replace('<head>', `<head>${tags}`);
}

export function mountWebApps(
  app: Express,
  apps = appsDir(),
  pageGuards: Record<string, RequestHandler> = {},
  errorTracking: BrowserErrorTracking | null = null,
): void {
  for (const web of WEB_APPS) {
    const dir = join(apps, web.dist);
    // Runs before a page (not an asset) is served: the admin console sends visitors without a session to its login page.
    const guard: RequestHandler = pageGuards[web.mount] ?? ((_req, _res, next) => next());
    if (existsSync(`${dir}/index.html`)) {
      app.use(web.mount, express.static(dir, { index: false, redirect: false, maxAge: '1h' }));
      app.get([web.mount, `${web.mount}/*path`], guard, (_req, res, next) => {
        res.set('Cache-Control', 'no-store');
        if (errorTracking) {
          readFile(join(dir, 'index.html'), 'utf8').then((html) => res.type('html').send(withErrorTracking(html, errorTracking)), next);
          return;
        }
        // With `root`, send's dotfile rule applies below dist/ only: the checkout path itself may contain a dot-directory.
        res.sendFile('index.html', { root: dir });
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
