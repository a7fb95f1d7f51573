import { loadEnvOrExit } from './env.ts';
import { createApiServer } from './server.ts';
import { startWorkerChild } from './worker/child.ts';

async function main(): Promise<void> {
  const env = loadEnvOrExit('aquoris-billing');
  // The worker as a child process by default, in this process with WORKER_CHILD_PROCESS=false, none with WORKER_IN_PROCESS=false.
  const childWorker = env.WORKER_IN_PROCESS && env.WORKER_CHILD_PROCESS;
  const server = await createApiServer(childWorker ? { ...env, WORKER_IN_PROCESS: false } : env);
  const { port } = await server.listen();
  server.deps.log.info({ port, publicUrl: env.publicUrl, env: env.NODE_ENV }, 'api listening');
  const worker = childWorker ? startWorkerChild(server.deps.log, env.SHUTDOWN_TIMEOUT_MS) : null;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.deps.log.info({ signal }, 'shutting down: draining in-flight requests');
    const force = setTimeout(() => {
      server.deps.log.error({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
      server.deps.log.flush(() => process.exit(1));
    }, env.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    Promise.all([server.close(), worker?.stop()]).then(
      () => {
        server.deps.log.info({}, 'shutdown complete');
        server.deps.log.flush(() => process.exit(0));
      },
      (error: unknown) => {
        server.deps.log.error({ err: error }, 'shutdown failed');
        server.deps.log.flush(() => process.exit(1));
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`aquoris-billing: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
