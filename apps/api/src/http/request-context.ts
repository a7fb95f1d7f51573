import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { redactPath } from '../logger.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { routeLabel } from '../metrics/server.ts';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

// Request ids: a random per-process prefix and a counter. Unique across processes and restarts,
// without a call into the CSPRNG per request (a measurable share of the eligibility hot path).
const ID_PREFIX = `req_${randomBytes(9).toString('base64url')}`;
let idCounter = 0;

export function requestIdFor(incoming: string | string[] | undefined): string {
  if (typeof incoming === 'string' && INCOMING_ID.test(incoming)) return incoming;
  idCounter = (idCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${ID_PREFIX}${idCounter.toString(36)}`;
}

export interface RequestLine {
  requestId: string;
  method: string | undefined;
  path: string;
  status: number;
  ms: number;
  appId: string | undefined;
  /** The client went away before the response was complete (status is then what had been set so far). */
  aborted?: true;
}

/** Per root logger, its child for request lines (see logRequest). */
const requestLoggers = new WeakMap<Logger, Logger>();

/**
 * The one log line per request, from Express and from the eligibility fast
 * path alike, through pino's public API. It goes through a child logger
 * without redaction: the line has a fixed shape that carries nothing to
 * redact (paths are redacted by the caller), and the parent's wildcard
 * redaction is most of what a log call costs on the hot path.
 */
export function logRequest(log: Logger, line: RequestLine): void {
  let requestLog = requestLoggers.get(log);
  if (!requestLog) {
    requestLog = log.child({}, { redact: [] });
    requestLoggers.set(log, requestLog);
  }
  if (line.status >= 500) requestLog.error(line, 'request');
  else if (line.status < 400 && POLLING_PATHS.has(line.path)) requestLog.debug(line, 'request');
  else requestLog.info(line, 'request');
}

/**
 * Paths that are asked again and again while nothing happens (health probes, the success page waiting for
 * its checkout): their answers are logged at debug, so a terminal or a log store shows what happened instead
 * of hundreds of identical lines. A failure of one is still logged like any other request.
 */
export const POLLING_PATHS: ReadonlySet<string> = new Set(['/api/health', '/trpc/billing.checkout.status']);

/** A request URL without its query string (as logged). */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Milliseconds since `started` (a `performance.now()` reading: a double, where hrtime.bigint() allocates), to 0.01 ms. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

/**
 * Assigns the request id (honouring a sane incoming X-Request-Id), sets the
 * headers every response carries, logs one line per request (an abandoned one too) and times it
 * by route template for the metrics. The
 * per-request child logger is created only when a handler asks for it:
 * pino's child() is costly on the hot path when made for every request.
 */
export function requestContext(log: Logger, metrics?: Metrics): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFor(req.get('x-request-id'));
    let child: Logger | undefined;
    req.ctx = {
      requestId,
      get log() {
        child ??= log.child({ requestId, appId: req.ctx.app?.appId });
        return child;
      },
    };
    const headers = responseHeaders(requestId);
    for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
    const started = performance.now();
    // 'finish' when the response went out; 'close' alone when the client abandoned the request first (still logged).
    let logged = false;
    const line = () => {
      if (logged) return;
      logged = true;
      const ms = elapsedMs(started);
      logRequest(log, {
        requestId,
        method: req.method,
        path: redactPath(pathOf(req.originalUrl)),
        status: res.statusCode,
        ms,
        appId: req.ctx.app?.appId,
        ...(res.writableFinished ? {} : { aborted: true as const }),
      });
      metrics?.observeRequest(req.method, routeLabel(req), res.statusCode, ms);
    };
    res.once('finish', line);
    res.once('close', line);
    next();
  };
}

/** Conservative security headers for every response. */
export const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' } as const;

/** The headers every response carries, as a flat [name, value, ...] list (what writeHead takes as is). */
export function responseHeaders(requestId: string): string[] {
  return [...SECURITY_HEADER_LIST, 'X-Request-Id', requestId];
}
const SECURITY_HEADER_LIST = Object.entries(SECURITY_HEADERS).flat();
