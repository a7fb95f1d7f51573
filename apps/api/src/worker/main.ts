import { loadEnvOrExit } from '../env.ts';
import { closeDeps, createDeps } from '../deps.ts';
import { startBillingWorker } from './worker.ts';

/** `pnpm start:worker`: the BullMQ worker alone (run the API with WORKER_IN_PROCESS=false); also what `pnpm start` forks by default (child.ts). */
async function main(): Promise<void> {
  const env = loadEnvOrExit('aquoris-billing worker');
  const deps = createDeps(env);
  const worker = await startBillingWorker(deps, env);
  deps.log.info({ concurrency: env.WORKER_CONCURRENCY, prefix: env.REDIS_KEY_PREFIX }, 'worker ready');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ signal }, 'worker shutting down: finishing running jobs');
    const force = setTimeout(() => process.exit(1), env.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    worker
      .close()
      .then(() => closeDeps(deps))
      .then(
        () => {
          deps.log.info({}, 'worker stopped');
          deps.log.flush(() => process.exit(0));
        },
        (error: unknown) => {
          deps.log.error({ err: error }, 'worker shutdown failed');
          deps.log.flush(() => process.exit(1));
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Started by the API (worker/child.ts): the API gone without stopping us closes the IPC channel.
  if (process.send) process.on('disconnect', () => stop('parent exited'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`aquoris-billing worker: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
