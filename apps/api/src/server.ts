import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@aquoris/core';
import express, { type Express } from 'express';
import type { ApiDeps } from './context.ts';
import { subscribeAppEvents } from './events.ts';
import { closeDeps, createDeps, createHotPathRedis, redisReady, type ApiServerOptions } from './deps.ts';
import type { Env } from './env.ts';
import { createAdminExportsRouter } from './http/admin-exports.ts';
import { adminPageGuard } from './http/admin-pages.ts';
import { createDocsRouter } from './http/docs.ts';
import { createFaviconRouter } from './http/favicon.ts';
import { captureServerErrors } from './http/capture-errors.ts';
import { handleClientError } from './http/client-error.ts';
import { noErrorTracking } from './error-tracking.ts';
import { createHomeRouter } from './http/home.ts';
import { jsonErrorHandler } from './http/errors.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { serveMetrics, type MetricsServer } from './metrics/server.ts';
import { requestContext } from './http/request-context.ts';
import { createSessionRouter } from './http/session-route.ts';
import { mountWebApps } from './http/web-apps.ts';
import { ApiKeyCache } from './rest/api-key-auth.ts';
import { EligibilityCache } from './rest/eligibility-cache.ts';
import { createFastEligibility } from './rest/fast-eligibility.ts';
import { buildOpenApiDocument } from './rest/openapi.ts';
import { RedisRateLimiter } from './rest/rate-limit.ts';
import { createMeRouter, createOperatorRouter } from './rest/operator-auth.ts';
import { createPublicRouter, createV1Router } from './rest/v1.ts';
import { createStripeWebhookRouter } from './webhooks/stripe.ts';
import { startBillingWorker, type BillingWorker } from './worker/worker.ts';
import { createTrpcHandlers } from './trpc/express.ts';

export type { ApiServerOptions } from './deps.ts';
export { closeDeps, createDeps } from './deps.ts';

export interface ApiServer {
  app: Express;
  deps: ApiDeps;
  /** This instance's eligibility cache (see rest/eligibility-cache.ts). */
  eligibilityCache: EligibilityCache;
  /** The in-process BullMQ worker, or null with WORKER_IN_PROCESS=false. */
  worker: BillingWorker | null;
  /** This process's Prometheus metrics (served on METRICS_PORT when set, from listen()). */
  metrics: Metrics;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Graceful: stop accepting, finish in-flight requests, let the worker finish its jobs, then close Redis and the database. */
  close(): Promise<void>;
}

export async function createApiServer(env: Env, options: ApiServerOptions = {}): Promise<ApiServer> {
  const deps = createDeps(env, options);
  const keyCache = new ApiKeyCache(options.apiKeyCacheTtlMs ?? 30_000);
  const unsubscribe = await subscribeAppEvents(deps.redis, env.REDIS_KEY_PREFIX, (appId) => keyCache.invalidateApp(appId));
  const hotRedis = createHotPathRedis(env.REDIS_URL, deps.log, env.REDIS_HOT_PATH_TIMEOUT_MS);
  await redisReady(hotRedis, 2_000);
  const limiter = new RedisRateLimiter(hotRedis, env.REDIS_KEY_PREFIX, { log: deps.log, instances: env.RATE_LIMIT_INSTANCES });
  const eligibilityCache = new EligibilityCache({
    databaseUrl: env.DATABASE_URL,
    clock: deps.clock,
    log: deps.log,
    ttlMs: env.ELIGIBILITY_CACHE_TTL_MS,
    maxEntries: env.ELIGIBILITY_CACHE_MAX_ENTRIES,
    warm: env.ELIGIBILITY_CACHE_WARM,
  });
  if (env.ELIGIBILITY_CACHE) await eligibilityCache.start(deps);
  const metrics = options.metrics ?? createMetrics();
  const errorTracker = options.errorTracker ?? noErrorTracking;
  metrics.watchEligibilityCache(eligibilityCache);
  metrics.watchQueue(() => deps.queue.counts());
  const auth = { keyCache, limiter, trustProxy: env.TRUST_PROXY };
  const fastEligibility = createFastEligibility(deps, { ...auth, cache: eligibilityCache, metrics });
  const services = { deps, eligibilityCache };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', env.TRUST_PROXY);
  app.set('etag', false);
  app.use(requestContext(deps.log, metrics));
  // First: the busiest route Express serves (every Stripe event), so it does not walk the other routers.
  app.use(createStripeWebhookRouter(deps, env.STRIPE_WEBHOOK_SECRET));
  app.use(createPublicRouter(services));
  app.use(createFaviconRouter());
  app.use(createDocsRouter(buildOpenApiDocument(env.publicUrl)));
  app.use(createSessionRouter(deps));
  // Before the app routes: these have their own auth (operator tokens, billing-session tokens).
  app.use('/api/v1/admin', createOperatorRouter(services));
  app.use('/api/v1/me', createMeRouter(services));
  app.use('/api/v1', createV1Router(services, auth));
  app.use(
    '/trpc',
    ...createTrpcHandlers(deps, { limiter, loginAttemptsPerMinute: env.adminLoginAttemptsPerMinute, trustProxy: env.TRUST_PROXY }, errorTracker),
  );
  app.use(createAdminExportsRouter(deps));
  const browserErrorTracking = env.sentry.browserDsn ? { dsn: env.sentry.browserDsn, environment: env.sentry.environment, release: env.sentry.release } : null;
  mountWebApps(app, undefined, { '/admin': adminPageGuard(deps) }, browserErrorTracking);
  app.use(createHomeRouter(deps, { demoAppSlug: env.NODE_ENV === 'development' ? env.SEED_APP_SLUG : null, publicUrl: env.publicUrl }));
  app.use((req) => {
    throw new AppError('NOT_FOUND', `No route for ${req.method} ${req.path}`);
  });
  app.use(captureServerErrors(errorTracker));
  app.use(jsonErrorHandler);

  // The worker runs in-process by default; `pnpm start:worker` runs it alone (WORKER_IN_PROCESS=false here).
  const worker: BillingWorker | null = env.WORKER_IN_PROCESS ? await startBillingWorker(deps, env, { metrics, errorTracker }) : null;

  let server: Server | undefined;
  let metricsServer: MetricsServer | null = null;
  return {
    app,
    deps,
    eligibilityCache,
    worker,
    metrics,
    async listen(port = env.PORT, host = env.HOST) {
      metricsServer ??= await serveMetrics(metrics.registry, env);
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
      const drained = server
        ? new Promise<void>((resolve) => {
            server!.close(() => resolve());
            // Keep-alive sockets that go idle once their in-flight request is answered are closed as they free up.
            const sweep = setInterval(() => server!.closeIdleConnections(), 50);
            server!.once('close', () => clearInterval(sweep));
            server!.closeIdleConnections();
          })
        : Promise.resolve();
      // The requests drain while the in-process worker finishes its running jobs (it takes no new ones).
      await Promise.all([drained, worker?.close()]);
      await metricsServer?.close();
      await eligibilityCache.stop();
      await unsubscribe();
      limiter.stop();
      hotRedis.disconnect();
      await closeDeps(deps);
    },
  };
}
