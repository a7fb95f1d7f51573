import { checkHealth } from '@aquoris/core';
import { Router } from 'express';
import type { ApiDeps } from '../context.ts';
import { methodNotAllowed } from './errors.ts';

export function createHealthRouter(deps: ApiDeps): Router {
  const router = Router();
  router
    .route('/api/health')
    .get(async (_req, res) => {
      const health = await checkHealth(deps);
      res
        .status(health.status === 'ok' ? 200 : 503)
        .set('Cache-Control', 'no-store')
        .json(health);
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  return router;
}
