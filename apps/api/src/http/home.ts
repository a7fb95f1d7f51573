import { findDevelopmentApiKey } from '@aquoris/core';
import { Router } from 'express';
import type { ApiDeps } from '../context.ts';
import { escapeHtml } from './pages.ts';

export interface HomeOptions {
  /** The demo app whose API key the page shows; null outside development, where no key is ever shown. */
  demoAppSlug: string | null;
  publicUrl: string;
}

/**
 * `/`: a real page where the seeded demo app's return URL (and the checkout success page's
 * auto-redirect) lands, instead of a JSON 404. It links to the billing pages, the admin and the
 * API docs; in development it also shows the demo app's API key and how to open a billing session.
 */
export function createHomeRouter(deps: ApiDeps, options: HomeOptions): Router {
  const router = Router();
  router.get('/', async (_req, res, next) => {
    try {
      const apiKey = options.demoAppSlug ? await findDevelopmentApiKey(deps, options.demoAppSlug) : null;
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      res.type('html').send(renderHome(options, apiKey));
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function renderHome({ demoAppSlug, publicUrl }: HomeOptions, apiKey: string | null): string {
  const demo =
    apiKey && demoAppSlug
      ? `<section aria-labelledby="key"><h2 id="key">Demo app “${escapeHtml(demoAppSlug)}” (development only)</h2>
<p>API key: <code data-testid="api-key">${escapeHtml(apiKey)}</code></p>
<p>Open the billing pages as a subscriber: create a session, then visit the <code>url</code> it returns.</p>
<pre>curl -s -X POST -H "Authorization: Bearer ${escapeHtml(apiKey)}" -H 'Content-Type: application/json' \\
  -d '{"externalUserId":"user_1","appSlug":"${escapeHtml(demoAppSlug)}"}' ${escapeHtml(publicUrl)}/api/v1/sessions</pre>
<p><code>pnpm demo:info</code> prints this again in the terminal.</p></section>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<link rel="icon" href="data:," />
<title>Aquoris Billing</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f6f7f9; color: #1a1f36; }
  main { max-width: 44rem; margin: 8vh auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  ul { padding-left: 1.2rem; } a { color: #4f46e5; }
  code, pre { font: 13px/1.5 ui-monospace, Menlo, monospace; background: #f1f2f6; border-radius: 6px; }
  code { padding: .1rem .3rem; word-break: break-all; } pre { padding: .75rem; overflow-x: auto; white-space: pre-wrap; }
</style>
</head>
<body><main role="main">
<h1>Aquoris Billing</h1>
<p>You are back from the billing pages. Where to go next:</p>
<ul>
  <li><a href="/billing">Billing pages</a>: a subscriber's plan, plans and invoices (opened through a session URL)</li>
  <li><a href="/admin">Admin</a></li>
  <li><a href="/docs/api">API docs</a></li>
</ul>
${demo}
</main></body>
</html>`;
}
