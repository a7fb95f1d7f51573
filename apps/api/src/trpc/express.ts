import { createExpressMiddleware } from '@trpc/server/adapters/express';
import type { RequestHandler } from 'express';
import type { AdminHttpOptions, ApiDeps } from '../context.ts';
import type { ErrorTracker } from '../error-tracking.ts';
import { methodNotAllowed } from '../http/errors.ts';
import { jsonDeeperThan, tooDeepError } from '../http/json-depth.ts';
import { parseJson } from '../rest/body.ts';
import { appErrorOfTrpc, createContextFactory } from './init.ts';
import { appRouter } from './root.ts';

/** The methods tRPC answers (queries by GET, mutations by POST; HEAD as GET without a body). */
const TRPC_METHODS = new Set(['GET', 'HEAD', 'POST']);
const refuseMethod = methodNotAllowed(['GET', 'POST']);

/**
 * Refuses, before tRPC sees them, what it would answer with a 500: a method
 * the Fetch API cannot carry (TRACE, CONNECT: the adapter builds a Request
 * from it and throws) or any other it does not serve, and a query's `input`
 * nested deeper than a body may be (parseJson caps the bodies).
 */
const guard: RequestHandler = (req, res, next) => {
  if (!TRPC_METHODS.has(req.method)) return refuseMethod(req, res, next);
  const input = req.query.input;
  if (typeof input === 'string' && jsonDeeperThan(Buffer.from(input))) throw tooDeepError();
  next();
};

/** /trpc: the guard, the JSON body, then tRPC, with Retry-After on a 429 or 503 as REST sends it and every 5xx logged and tracked. */
export function createTrpcHandlers(deps: ApiDeps, admin: AdminHttpOptions, errorTracker: ErrorTracker): RequestHandler[] {
  return [
    guard,
    parseJson('64kb'),
    createExpressMiddleware({
      router: appRouter,
      createContext: createContextFactory(deps, admin),
      // Every server-side failure, in a procedure or before one (the adapter's own), is logged in full with the
      // request id; the caller sees only generic words (init.ts's formatter).
      onError({ error, req, path }) {
        const appError = appErrorOfTrpc(error);
        if (appError.isClientError) return;
        req.ctx.log.error({ err: appError.cause ?? error, code: appError.code }, 'trpc request failed');
        errorTracker.capture(error.cause ?? error, { requestId: req.ctx.requestId, procedure: path });
      },
      responseMeta({ errors }) {
        const waits = errors.map((error) => appErrorOfTrpc(error).details?.retryAfterSeconds).filter((s): s is number => typeof s === 'number');
        return waits.length ? { headers: { 'Retry-After': String(Math.max(...waits)) } } : {};
      },
    }),
  ];
}
