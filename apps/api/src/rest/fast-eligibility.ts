import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, ExternalUserId, getEligibilityEntry, parseInput, toAppError, type AuthenticatedApp } from '@aquoris/core';
import type { ApiDeps } from '../context.ts';
import { errorReply } from '../http/errors.ts';
import { authorizeApp, authorizeAppLocally, type AuthOptions } from '../http/pipeline.ts';
import { elapsedMs, logRequest, pathOf, requestIdFor, responseHeaders } from '../http/request-context.ts';
import { EligibilityCache } from './eligibility-cache.ts';

const ROUTE = /^\/api\/v1\/customers\/([^/?#]+)\/subscription\/?(?:\?.*)?$/;

export interface FastEligibilityOptions extends AuthOptions {
  cache: EligibilityCache;
}

/** Eligibility for one user, through the cache: shared by the fast path and the table's route. Invalid ids reject (never throw). */
export async function readEligibility(deps: ApiDeps, cache: EligibilityCache, app: AuthenticatedApp, rawId: string): Promise<string> {
  const externalUserId = parseInput(ExternalUserId, rawId);
  return cache.read(EligibilityCache.key(app.appId, externalUserId), () => getEligibilityEntry(deps, app, externalUserId));
}

function decodeId(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError('VALIDATION_ERROR', 'externalUserId is not valid URL encoding');
  }
}

/**
 * `GET /api/v1/customers/:id/subscription` on plain node:http, in front of
 * Express: the route every client app calls on every gated request, where
 * Express's routing alone would cost most of its throughput
 * (docs/performance.md). It is the same route as the table's (routes.ts), run
 * through the same pipeline functions: authorizeApp (key and rate limit),
 * errorReply (the envelope), responseHeaders and logRequest.
 */
export function createFastEligibility(deps: ApiDeps, options: FastEligibilityOptions) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET') return false;
    const match = ROUTE.exec(req.url ?? '');
    if (!match) return false;
    handle(deps, options, req, res, match[1]!);
    return true;
  };
}

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

function errorAnswer(deps: ApiDeps, error: unknown, requestId: string, app: AuthenticatedApp | undefined): Answer {
  return errorReply(error, toAppError(error), () => deps.log.child({ requestId, appId: app?.appId }));
}

/**
 * Serves one request. When the key, the rate-limit lease and the answer are
 * all in memory (the steady state of a busy app) it answers synchronously,
 * with no promise at all; otherwise the same steps run asynchronously
 * (database, Redis).
 */
function handle(deps: ApiDeps, options: FastEligibilityOptions, req: IncomingMessage, res: ServerResponse, rawId: string): void {
  const started = performance.now();
  const requestId = requestIdFor(req.headers['x-request-id']);
  let app: AuthenticatedApp | undefined;
  const respond = (answer: Answer) => {
    const headers = responseHeaders(requestId);
    headers.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(answer.body)));
    for (const name in answer.headers) headers.push(name, answer.headers[name]!);
    res.writeHead(answer.status, headers).end(answer.body);
    logRequest(deps.log, { requestId, method: req.method, path: pathOf(req.url ?? ''), status: answer.status, ms: elapsedMs(started), appId: app?.appId });
  };
  const fail = (error: unknown) => respond(errorAnswer(deps, error, requestId, app));
  let id: string | undefined;
  try {
    app = authorizeAppLocally(options, req.headers.authorization);
    if (app) id = decodeId(rawId);
  } catch (error) {
    return fail(error);
  }
  // The cache holds only ids that passed ExternalUserId, so a hit needs no parsing; a miss is parsed
  // (and refused when invalid) by readEligibility.
  const body = app && id !== undefined ? options.cache.get(EligibilityCache.key(app.appId, id)) : undefined;
  if (body !== undefined) return respond({ status: 200, body });
  void (async () => {
    app ??= await authorizeApp(deps, options, req.headers, req.socket.remoteAddress);
    return readEligibility(deps, options.cache, app, id ?? decodeId(rawId));
  })().then((loaded) => respond({ status: 200, body: loaded }), fail);
}
