import type { Deps } from '@aquoris/core';
import type { AuthenticatedApp } from '@aquoris/core';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Everything the transports share, built once by the composition root. */
export interface ApiDeps extends Deps {
  redis: Redis;
  redisKeyPrefix: string;
  log: Logger;
}

/** Per-request context: the request id, a child logger, and the authenticated actor. */
export interface RequestContext {
  requestId: string;
  log: Logger;
  app?: AuthenticatedApp;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      ctx: RequestContext;
    }
  }
}
