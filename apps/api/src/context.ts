import type { DashboardOptions, Deps, StripeCustomerSync } from '@aquoris/core';
import type { AuthenticatedApp, AuthenticatedOperator, SubscriberActor } from '@aquoris/core';
import type { Database } from '@aquoris/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisRateLimiter } from './rest/rate-limit.ts';
import type { BillingQueue } from './worker/queue.ts';

/** Everything the transports share, built once by the composition root. */
export interface ApiDeps extends Deps {
  database: Database;
  redis: Redis;
  redisKeyPrefix: string;
  log: Logger;
  /** The BullMQ queue (webhook events, Stripe customer sync, scheduled jobs). */
  queue: BillingQueue;
  /** Queues the push of a customer's profile to Stripe (used by PUT /customers). */
  stripeSync: StripeCustomerSync;
  /** The Dashboard figures' timeout and test hook (env.ts). */
  dashboard: DashboardOptions;
}

/** What the admin console's procedures need from the HTTP layer, built once by the composition root. */
export interface AdminHttpOptions {
  /** The shared Redis limiter (one counter across instances). */
  limiter: RedisRateLimiter;
  /** Sign-in attempts per minute per client address. */
  loginAttemptsPerMinute: number;
  trustProxy: boolean;
}

/** Per-request context: the request id, a child logger, and the authenticated actor. */
export interface RequestContext {
  requestId: string;
  /** A child logger bound to the request id (and app, once authenticated). */
  readonly log: Logger;
  app?: AuthenticatedApp;
  /** The operator token's holder, on /api/v1/admin routes. */
  operator?: AuthenticatedOperator;
  /** The end user of a billing-session token, on /api/v1/me routes. */
  subscriber?: SubscriberActor;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      ctx: RequestContext;
    }
  }
}
