import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, systemClock, type Clock } from '@aquoris/core';
import { createDatabase } from '@aquoris/db';
import express, { type Express } from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiDeps } from './context.ts';
import type { Env } from './env.ts';
import { createAppEvents, subscribeAppEvents } from './events.ts';
import { adminPageGuard } from './http/admin-pages.ts';
import { createDocsRouter } from './http/docs.ts';
import { handleClientError } from './http/client-error.ts';
import { jsonErrorHandler } from './http/errors.ts';
import { requestContext } from './http/request-context.ts';
import { createSessionRouter } from './http/session-route.ts';
import { mountWebApps } from './http/web-apps.ts';
import { createLogger } from './logger.ts';
import { ApiKeyCache } from './rest/api-key-auth.ts';
import { EligibilityCache } from './rest/eligibility-cache.ts';
import { createFastEligibility } from './rest/fast-eligibility.ts';
import { buildOpenApiDocument } from './rest/openapi.ts';
import { RedisRateLimiter } from './rest/rate-limit.ts';
import { createPublicRouter, createV1Router } from './rest/v1.ts';
import { createStripeClient } from './stripe/client.ts';
import { createStripeWebhookRouter } from './webhooks/stripe.ts';
import { createBillingQueue } from './worker/queue.ts';
import { startBillingWorker, type BillingWorker } from './worker/worker.ts';
import { createContextFactory } from './trpc/init.ts';
import { appRouter } from './trpc/root.ts';
import { createExpressMiddleware } from '@trpc/server/adapters/express';

export interface ApiServerOptions {
  clock?: Clock;
  logger?: Logger;
  /** How long a resolved API key may be served from memory (credential changes also evict at once). */
  apiKeyCacheTtlMs?: number;
}

export interface ApiServer {
  app: Express;
  deps: ApiDeps;
  /** This instance's eligibility cache (see rest/eligibility-cache.ts). */
  eligibilityCache: EligibilityCache;
  /** The in-process BullMQ worker, or null with WORKER_IN_PROCESS=false. */
  worker: BillingWorker | null;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Graceful: stop accepting, finish in-flight requests, then close Redis and the database. */
  close(): Promise<void>;
}

/** Builds shared resources (redis + queue connections) for a process: shared by the API and the CLI. */
export function createDeps(env: Env, options: ApiServerOptions = {}): ApiDeps {
  const log = options.logger ?? createLogger(env.LOG_LEVEL);
  const redis = new Redis(env.REDIS_URL, {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 2,
    commandTimeout: 2_000,
  });
  redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const database = createDatabase(env.DATABASE_URL, { max: env.DATABASE_POOL_SIZE });
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
    },
    redis,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    events: createAppEvents(redis, env.REDIS_KEY_PREFIX),
    queue,
    stripeSync: { syncCustomerToStripe: (customerId, requestedAt) => queue.enqueueCustomerSync(customerId, requestedAt) },
    ...(stripe ? { stripe } : {}),
  };
}

export async function closeDeps(deps: ApiDeps): Promise<void> {
  await deps.queue.close();
  await deps.redis.quit().catch(() => deps.redis.disconnect());
  await deps.database.close();
}

export async function createApiServer(env: Env, options: ApiServerOptions = {}): Promise<ApiServer> {
  const deps = createDeps(env, options);
  const keyCache = new ApiKeyCache(options.apiKeyCacheTtlMs ?? 30_000);
  const unsubscribe = await subscribeAppEvents(deps.redis, env.REDIS_KEY_PREFIX, (appId) => keyCache.invalidateApp(appId));
  const limiter = new RedisRateLimiter(deps.redis, env.REDIS_KEY_PREFIX);
  const eligibilityCache = new EligibilityCache({
    databaseUrl: env.DATABASE_URL,
    clock: deps.clock,
    log: deps.log,
    ttlMs: env.ELIGIBILITY_CACHE_TTL_MS,
    maxEntries: env.ELIGIBILITY_CACHE_MAX_ENTRIES,
    warm: env.ELIGIBILITY_CACHE_WARM,
  });
  if (env.ELIGIBILITY_CACHE) await eligibilityCache.start(deps);
  const auth = { keyCache, limiter, trustProxy: env.TRUST_PROXY };
  const fastEligibility = createFastEligibility(deps, { ...auth, cache: eligibilityCache });
  const services = { deps, eligibilityCache };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUST_PROXY);
  app.set('etag', false);
  app.use(requestContext(deps.log));
  // First: the busiest route Express serves (every Stripe event), so it does not walk the other routers.
  app.use(createStripeWebhookRouter(deps, env.STRIPE_WEBHOOK_SECRET));
  app.use(createPublicRouter(services));
  app.use(createDocsRouter(buildOpenApiDocument(env.publicUrl)));
  app.use(createSessionRouter(deps));
  app.use('/api/v1', createV1Router(services, auth));
  app.use(
    '/trpc',
    express.json({ limit: '64kb' }),
    createExpressMiddleware({
      router: appRouter,
      createContext: createContextFactory(deps, { limiter, loginAttemptsPerMinute: env.adminLoginAttemptsPerMinute, trustProxy: env.TRUST_PROXY }),
    }),
  );
  mountWebApps(app, undefined, { '/admin': adminPageGuard(deps) });
  app.use((req) => {
    throw new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`);
  });
  app.use(jsonErrorHandler);

  // The worker runs in-process by default; `pnpm start:worker` runs it alone (WORKER_IN_PROCESS=false here).
  const worker: BillingWorker | null = env.WORKER_IN_PROCESS ? await startBillingWorker(deps, env) : null;

  let server: Server | undefined;
  return {
    app,
    deps,
    eligibilityCache,
    worker,
    listen(port = env.PORT, host = env.HOST) {
      return new Promise((resolve, reject) => {
        server = createServer((req, res) => {
          if (!fastEligibility(req, res)) app(req, res);
        });
        server.keepAliveTimeout = 65_000;
        server.on('clientError', handleClientError);
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server!.address() as AddressInfo;
          resolve({ port: address.port, url: `http://127.0.0.1:${address.port}` });
        });
      });
    },
    async close() {
      if (server) {
        const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
        // Keep-alive sockets that go idle once their in-flight request is answered are closed as they free up.
        const sweep = setInterval(() => server!.closeIdleConnections(), 50);
        server.closeIdleConnections();
        await closed.finally(() => clearInterval(sweep));
      }
      await worker?.close();
      await eligibilityCache.stop();
      await unsubscribe();
      await closeDeps(deps);
    },
  };
}
