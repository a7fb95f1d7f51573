import { assertOperatorCanWrite, authenticateOperatorToken, authenticateSessionBearer, listAppOrigins } from '@aquoris/core';
import { Router, type RequestHandler } from 'express';
import type { ApiDeps } from '../context.ts';
import { jsonBody } from './body.ts';
import { ME_BODY_BYTES, ME_PREFIX, ME_ROUTES } from './me-routes.ts';
import { OPERATOR_PREFIX, OPERATOR_ROUTES } from './operator-routes.ts';
import { mountRoutes, type RouteServices } from './route.ts';
import { MAX_BODY_BYTES } from './routes.ts';

function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

const READS = new Set(['GET', 'HEAD']);

/** Operator token auth: any valid token reads; only a READ_WRITE one changes (FORBIDDEN). Unknown or revoked: UNAUTHORIZED. */
export function requireOperator(deps: ApiDeps): RequestHandler {
  return async (req, _res, next) => {
    const operator = await authenticateOperatorToken(deps, bearerToken(req.headers.authorization));
    if (!READS.has(req.method)) assertOperatorCanWrite(operator);
    req.ctx.operator = operator;
    next();
  };
}

/** The cross-app operator routes, mounted at /api/v1/admin. */
export function createOperatorRouter(services: RouteServices): Router {
  const router = Router();
  router.use(requireOperator(services.deps), ...jsonBody(MAX_BODY_BYTES));
  mountRoutes(router, services, OPERATOR_ROUTES, OPERATOR_PREFIX);
  return router;
}

const CORS_METHODS = 'GET, HEAD, POST';
const CORS_HEADERS = 'Authorization, Content-Type, X-Request-Id';

/**
 * CORS for an app's own front end: a preflight (which carries no token) is allowed for any app's
 * front-end origin; the request itself only for the origins of the token's app (see authenticateSessionBearer).
 */
function meCors(deps: ApiDeps): RequestHandler {
  return async (req, res, next) => {
    const origin = req.get('origin');
    if (req.method === 'OPTIONS') {
      if (origin && (await listAppOrigins(deps)).has(origin)) {
        res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Methods': CORS_METHODS, 'Access-Control-Allow-Headers': CORS_HEADERS });
        res.set({ 'Access-Control-Max-Age': '600', Vary: 'Origin' });
      }
      res.status(204).end();
      return;
    }
    next();
  };
}

/** Billing-session token auth for /me, then the CORS answer for the token's app's origins. */
export function requireSession(deps: ApiDeps): RequestHandler {
  return async (req, res, next) => {
    const bearer = await authenticateSessionBearer(deps, bearerToken(req.headers.authorization));
    const origin = req.get('origin');
    res.vary('Origin');
    if (origin && bearer.origins.includes(origin)) res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'X-Request-Id' });
    req.ctx.subscriber = bearer.actor;
    next();
  };
}

/** The end-user routes, mounted at /api/v1/me. */
export function createMeRouter(services: RouteServices): Router {
  const router = Router();
  router.use(meCors(services.deps), requireSession(services.deps), ...jsonBody(ME_BODY_BYTES));
  mountRoutes(router, services, ME_ROUTES, ME_PREFIX);
  return router;
}
