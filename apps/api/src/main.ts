import { startErrorTracking } from './error-tracking.ts';
import { createProcessLogger } from './deps.ts';
import { loadEnvOrExit } from './env.ts';
import { exitGracefullyOnSignals } from './lifecycle.ts';
import { createApiServer } from './server.ts';

async function main(): Promise<void> {
  const env = loadEnvOrExit('aquoris-billing');
  const logger = createProcessLogger(env);
  const errorTracker = await startErrorTracking(env.sentry, 'api', logger);
  const server = await createApiServer(env, { logger, errorTracker });
  const { port } = await server.listen();
  server.deps.log.info({ port, publicUrl: env.publicUrl, env: env.NODE_ENV }, 'api listening');
  exitGracefullyOnSignals({
    log: server.deps.log,
    what: 'api',
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    // Stop accepting, drain the requests and the in-process worker's jobs, close PostgreSQL and Redis; send what Sentry holds.
    close: () => server.close().finally(() => errorTracker.flush(2_000)),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`aquoris-billing: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
