import { startErrorTracking } from '../error-tracking.ts';
import { loadEnvOrExit } from '../env.ts';
import { closeDeps, createDeps } from '../deps.ts';
import { exitGracefullyOnSignals } from '../lifecycle.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { serveMetrics } from '../metrics/server.ts';
import { startBillingWorker } from './worker.ts';

/** `pnpm start:worker`: the BullMQ worker alone (run the API with WORKER_IN_PROCESS=false); also what `pnpm start` forks by default (child.ts). */
async function main(): Promise<void> {
  const env = loadEnvOrExit('aquoris-billing worker');
  const deps = createDeps(env);
  const errorTracker = await startErrorTracking(env.sentry, 'worker', deps.log);
  const metrics = createMetrics();
  metrics.watchQueue(() => deps.queue.counts());
  const worker = await startBillingWorker(deps, env, { metrics, errorTracker });
  const metricsServer = await serveMetrics(metrics.registry, env);
  deps.log.info({ concurrency: env.WORKER_CONCURRENCY, prefix: env.REDIS_KEY_PREFIX }, 'worker ready');
  const stop = exitGracefullyOnSignals({
    log: deps.log,
    what: 'worker',
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    // Take no new job and wait for the running ones, then close Redis and PostgreSQL; send what Sentry holds.
    async close() {
      await worker.close();
      await metricsServer?.close();
      await closeDeps(deps);
      await errorTracker.flush(2_000);
    },
  });
  // Started by the API (worker/child.ts): the API gone without stopping us closes the IPC channel.
  if (process.send) process.on('disconnect', () => stop('parent exited'));
}

main().catch((error: unknown) => {
  process.stderr.write(`aquoris-billing worker: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
