import type { ErrorRequestHandler } from 'express';
import type { ErrorTracker } from '../error-tracking.ts';
import { routeLabel } from '../metrics/server.ts';
import { toHttpAppError } from './errors.ts';

/** Before the error envelope: a server-side failure (5xx) of an Express route goes to error tracking too. */
export function captureServerErrors(tracker: ErrorTracker): ErrorRequestHandler {
  return (error, req, _res, next) => {
    if (tracker.enabled && !toHttpAppError(error, req).isClientError) {
      tracker.capture(error, { requestId: req.ctx.requestId, method: req.method, route: routeLabel(req) });
    }
    next(error);
  };
}
