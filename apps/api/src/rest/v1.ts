import { AppError, createBillingSession, CustomerPathParams, listPublicPlans, parseInput, upsertCustomer, type AuthenticatedApp } from '@aquoris/core';
import express, { Router, type Request, type RequestHandler } from 'express';
import type { ApiDeps } from '../context.ts';
import { methodNotAllowed } from '../http/errors.ts';
import { ApiKeyCache, apiKeyAuth } from './api-key-auth.ts';
import type { EligibilityCache } from './eligibility-cache.ts';
import { readEligibility } from './fast-eligibility.ts';
import { rateLimit, RedisRateLimiter } from './rate-limit.ts';

export const MAX_BODY_BYTES = 16 * 1024;

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Content-Encodings a body may use: a fixed list, so what is accepted does not depend on the Node version (zstd). */
export const BODY_ENCODINGS = ['identity', 'gzip', 'deflate', 'br'];

/** Bodies must be JSON, plain or compressed with a listed encoding; anything else is refused before parsing. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.get('content-length') !== '0' && (req.get('content-length') !== undefined || req.get('transfer-encoding') !== undefined);
  if (!hasBody) return next();
  if (!req.is(JSON_TYPES)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (!BODY_ENCODINGS.includes(encoding)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Encoding "${encoding.slice(0, 64)}"; use gzip, deflate, br or none`);
  }
  next();
};

function appOf(req: Request): AuthenticatedApp {
  if (!req.ctx.app) throw new AppError('UNAUTHORIZED', 'Missing API key');
  return req.ctx.app;
}

function userIdParam(req: Request): string {
  return parseInput(CustomerPathParams, { externalUserId: req.params.externalUserId }).externalUserId;
}

export interface V1Options {
  keyCache: ApiKeyCache;
  limiter: RedisRateLimiter;
  eligibilityCache: EligibilityCache;
}

/** REST v1 for client apps: API-key auth, per-app rate limit, then one core service per route. */
export function createV1Router(deps: ApiDeps, { keyCache, limiter, eligibilityCache }: V1Options): Router {
  const router = Router();
  router.use(apiKeyAuth(deps, keyCache, limiter), rateLimit(limiter, deps.log));
  router.use(requireJsonBody, express.json({ limit: MAX_BODY_BYTES, strict: true, type: JSON_TYPES }));

  router
    .route('/sessions')
    .post(async (req, res) => {
      res.json(await createBillingSession(deps, appOf(req), req.body ?? {}));
    })
    .all(methodNotAllowed(['POST']));

  // Plain GETs are answered by the fast path in front of Express (fast-eligibility.ts); HEAD and variants land here.
  router
    .route('/customers/:externalUserId/subscription')
    .get(async (req, res) => {
      res.type('json').send(await readEligibility(deps, eligibilityCache, appOf(req), req.params.externalUserId));
    })
    .all(methodNotAllowed(['GET', 'HEAD']));

  router
    .route('/customers/:externalUserId')
    .put(async (req, res) => {
      res.json(await upsertCustomer(deps, appOf(req), { externalUserId: userIdParam(req), fields: req.body ?? {} }));
    })
    .all(methodNotAllowed(['PUT']));

  router
    .route('/plans')
    .get(async (_req, res) => {
      res.json(await listPublicPlans(deps));
    })
    .all(methodNotAllowed(['GET', 'HEAD']));

  return router;
}
