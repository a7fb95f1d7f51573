import {
  AppError,
  createBillingSession,
  ExternalUserId,
  listPublicPlans,
  parseInput,
  upsertCustomer,
  type AuthenticatedApp,
} from '@aquoris/core';
import express, { Router, type Request, type RequestHandler } from 'express';
import type { ApiDeps } from '../context.ts';
import { ApiKeyCache, apiKeyAuth } from './api-key-auth.ts';
import type { EligibilityCache } from './eligibility-cache.ts';
import { readEligibility } from './fast-eligibility.ts';
import { rateLimit, RedisRateLimiter } from './rate-limit.ts';

export const MAX_BODY_BYTES = 16 * 1024;

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Bodies must be JSON; anything else is refused before parsing. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.get('content-length') !== '0' && (req.get('content-length') !== undefined || req.get('transfer-encoding') !== undefined);
  if (hasBody && !req.is(JSON_TYPES)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  next();
};

function appOf(req: Request): AuthenticatedApp {
  if (!req.ctx.app) throw new AppError('UNAUTHORIZED', 'Missing API key');
  return req.ctx.app;
}

function userIdParam(req: Request): string {
  return parseInput(ExternalUserId, req.params.externalUserId);
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

  router.post('/sessions', async (req, res) => {
    res.json(await createBillingSession(deps, appOf(req), req.body ?? {}));
  });

  // Plain GETs are answered by the fast path in front of Express (fast-eligibility.ts); HEAD and variants land here.
  router.get('/customers/:externalUserId/subscription', async (req, res) => {
    res.type('json').send(await readEligibility(deps, eligibilityCache, appOf(req), req.params.externalUserId));
  });

  router.put('/customers/:externalUserId', async (req, res) => {
    res.json(await upsertCustomer(deps, appOf(req), { externalUserId: userIdParam(req), fields: req.body ?? {} }));
  });

  router.get('/plans', async (_req, res) => {
    res.json(await listPublicPlans(deps));
  });

  return router;
}
