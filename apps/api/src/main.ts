import { startErrorTracking } from './error-tracking.ts';
import { createProcessLogger } from './deps.ts';
import { loadEnvOrExit } from './env.ts';
import { exitGracefullyOnSignals } from './lifecycle.ts';
import { createApiServer } from './server.ts';
import { startWorkerChild } from './worker/child.ts';

async function main(): Promise<void> {
  const env = loadEnvOrExit('aquoris-billing');
  const logger = createProcessLogger(env);
  const errorTracker = await startErrorTracking(env.sentry, 'api', logger);
  // The worker as a child process by default, in this process with WORKER_CHILD_PROCESS=false, none with WORKER_IN_PROCESS=false.
  const childWorker = env.WORKER_IN_PROCESS && env.WORKER_CHILD_PROCESS;
  const server = await createApiServer(childWorker ? { ...env, WORKER_IN_PROCESS: false } : env, { logger, errorTracker });
  const { port } = await server.listen();
  server.deps.log.info({ port, publicUrl: env.publicUrl, env: env.NODE_ENV }, 'api listening');
  const worker = childWorker ? startWorkerChild(server.deps.log, env.SHUTDOWN_TIMEOUT_MS) : null;
  exitGracefullyOnSignals({
    log: server.deps.log,
    what: 'api',
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    // Stop accepting, drain the requests and the worker's jobs (in this process or the child), close PostgreSQL and
    // Redis; send what Sentry holds.
    close: () =>
      Promise.all([server.close(), worker?.stop()])
        .then(() => undefined)
        .finally(() => errorTracker.flush(2_000)),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`aquoris-billing: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
