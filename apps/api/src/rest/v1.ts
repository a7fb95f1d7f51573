import { Router } from 'express';
import type { ApiKeyCache } from './api-key-auth.ts';
import { jsonBody } from './body.ts';
import { requireApp } from '../http/pipeline.ts';
import { mountRoutes, type RouteServices } from './route.ts';
import { MAX_BODY_BYTES, ROUTES, V1_PREFIX } from './routes.ts';
import type { RedisRateLimiter } from './rate-limit.ts';

export interface V1Options {
  keyCache: ApiKeyCache;
  limiter: RedisRateLimiter;
  trustProxy: boolean;
}

/**
 * REST v1 for client apps, mounted at /api/v1: the key and the rate limit are
 * checked first, for every path (an unknown one too), then the body pipeline,
 * then the table's routes.
 */
export function createV1Router(services: RouteServices, options: V1Options): Router {
  const router = Router();
  router.use(requireApp(services.deps, options), ...jsonBody(MAX_BODY_BYTES));
  mountRoutes(
    router,
    services,
    ROUTES.filter((r) => r.auth === 'app' && r.path.startsWith(V1_PREFIX)),
    V1_PREFIX,
  );
  return router;
}

/** The public routes of the table (health), mounted at the root. */
export function createPublicRouter(services: RouteServices): Router {
  const router = Router();
  mountRoutes(
    router,
    services,
    ROUTES.filter((r) => r.auth === 'none'),
    '',
  );
  return router;
}
