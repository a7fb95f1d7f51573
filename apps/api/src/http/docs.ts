import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);

/** Interactive API docs (Swagger UI, served locally: no CDN) at /docs/api. */
export function createDocsRouter(document: object): Router {
  const router = Router();
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>Aquoris Billing API</title>
  <link rel="icon" href="/favicon.ico" />
  <link rel="stylesheet" href="/docs/api/assets/swagger-ui.css" />
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/api/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/api/init.js"></script>
</body>
</html>`;
  const init = `window.ui = SwaggerUIBundle({ url: '/docs/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;
  router.get('/docs/api', (_req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    res.type('html').send(html);
  });
  router.get('/docs/api/init.js', (_req, res) => {
    res.type('application/javascript').send(init);
  });
  router.get(['/docs/api/openapi.json', '/api/v1/openapi.json'], (_req, res) => {
    res.json(document);
  });
  router.use('/docs/api/assets', express.static(assets, { index: false, maxAge: '1d' }));
  return router;
}
