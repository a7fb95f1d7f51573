import { createStripeAccounts, stripeConfigKey, systemClock, type Clock } from '@aquoris/core';
import { createDatabase } from '@aquoris/db';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiDeps } from './context.ts';
import type { Env } from './env.ts';
import { createAppEvents } from './events.ts';
import { createLogger } from './logger.ts';
import type { ErrorTracker } from './error-tracking.ts';
import type { Metrics } from './metrics/metrics.ts';
import { createStripeClient, stripeClientFactory } from './stripe/client.ts';
import { createBillingQueue } from './worker/queue.ts';

/**
 * The shared resources of a process (database, Redis, queue, Stripe), for the API, the worker and the CLI.
 * Apart from server.ts so that the CLI loads none of the HTTP stack (Express, tRPC, the docs): it starts faster.
 */
export interface ApiServerOptions {
  clock?: Clock;
  logger?: Logger;
  /** How long a resolved API key may be served from memory (credential changes also evict at once). */
  apiKeyCacheTtlMs?: number;
  /** The process's metrics; the API server makes its own when omitted. */
  metrics?: Metrics;
  /** Sentry (or nothing): server errors of routes and procedures and jobs' final failures are reported to it. */
  errorTracker?: ErrorTracker;
}

/** A process's root logger: JSON lines, or pino-pretty in development. */
export function createProcessLogger(env: Pick<Env, 'LOG_LEVEL' | 'NODE_ENV'>): Logger {
  return createLogger(env.LOG_LEVEL, undefined, { pretty: env.NODE_ENV === 'development' });
}

/** Builds shared resources (redis + queue connections) for a process: shared by the API and the CLI. */
export function createDeps(env: Env, options: ApiServerOptions = {}): ApiDeps {
  const log = options.logger ?? createProcessLogger(env);
  const redis = new Redis(env.REDIS_URL, {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 2,
    commandTimeout: 2_000,
  });
  redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const database = createDatabase(env.DATABASE_URL, {
    max: env.DATABASE_POOL_SIZE,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  const queue = createBillingQueue(env, log);
  const stripe = createStripeClient(env, log);
  return {
    database,
    db: database,
    clock: options.clock ?? systemClock,
    log,
    config: {
      publicUrl: env.publicUrl,
      sessionSecret: env.SESSION_SECRET,
      adminSessionSecret: env.ADMIN_SESSION_SECRET,
      apiKeyEncryptionSecret: env.apiKeyEncryptionSecret,
      allowLocalhostRedirects: env.NODE_ENV !== 'production',
      // The emulator serves a card page for payment intents (/pay/:id); real Stripe has none (Stripe.js draws it).
      ...(env.STRIPE_API_BASE ? { paymentPageUrl: `${env.STRIPE_API_BASE.replace(/\/+$/, '')}/pay` } : {}),
    },
    redis,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    events: createAppEvents(redis, env.REDIS_KEY_PREFIX),
    queue,
    dashboard: env.dashboard,
    stripeSync: { syncCustomerToStripe: (customerId, requestedAt) => queue.enqueueCustomerSync(customerId, requestedAt) },
    ...(stripe ? { stripe } : {}),
    stripeAccounts: createStripeAccounts({
      keys: {
        current: stripeConfigKey(env.stripeConfigEncryptionKey),
        ...(env.STRIPE_CONFIG_ENCRYPTION_KEY_PREVIOUS ? { previous: stripeConfigKey(env.STRIPE_CONFIG_ENCRYPTION_KEY_PREVIOUS) } : {}),
      },
      createClient: stripeClientFactory(env),
      platformLivemode: /^(sk|rk)_live_/.test(env.STRIPE_SECRET_KEY ?? ''),
    }),
  };
}

/**
 * The Redis client of the request path (rate limits, the invalid-key check): it fails at once instead of
 * queueing commands while disconnected, and gives up on a command after `commandTimeoutMs`, so a Redis
 * outage or freeze costs a request no wait (the limiter's circuit breaker then skips Redis altogether).
 * It reconnects by itself. The shared client (deps.redis) keeps its offline queue for the work that must
 * reach Redis eventually (events, queues).
 */
export function createHotPathRedis(url: string, log: Logger, commandTimeoutMs: number): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  redis.on('error', (err) => log.debug({ err }, 'redis (request path) connection error'));
  return redis;
}

/** Resolves once `redis` is ready, or after `timeoutMs` (a Redis down at start-up must not stop the API: the limiter falls back). */
export function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done);
  });
}

export async function closeDeps(deps: ApiDeps): Promise<void> {
  await deps.queue.close();
  await deps.redis.quit().catch(() => deps.redis.disconnect());
  await deps.database.close();
}
