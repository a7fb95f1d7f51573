import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { redactPath } from '../logger.ts';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Assigns the request id (honouring a sane incoming X-Request-Id), and logs one line per request. */
export function requestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : `req_${randomBytes(12).toString('base64url')}`;
    req.ctx = { requestId, log: log.child({ requestId }) };
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      req.ctx.log[level](
        { method: req.method, path: redactPath(req.path), status: res.statusCode, ms: Math.round(ms * 100) / 100, appId: req.ctx.app?.appId },
        'request',
      );
    });
    next();
  };
}

/** Conservative security headers for every response. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
};
