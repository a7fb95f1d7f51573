import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

export interface WorkerChild {
  /** SIGTERM, and waits for the worker's own clean shutdown (SIGKILL after `timeoutMs`). */
  stop(): Promise<void>;
}

/**
 * `pnpm start`'s worker (WORKER_CHILD_PROCESS, the default): the worker entry (dist/worker.js, or
 * worker/main.ts under tsx) as a child process of the API with the same environment, so that the webhook
 * endpoint and the worker do not share one event loop (docs/performance.md, "Webhooks"). Started again if
 * it dies; it exits by itself if the API goes away without stopping it (the IPC channel closes).
 */
export function startWorkerChild(log: Logger, timeoutMs: number): WorkerChild {
  const entry = fileURLToPath(import.meta.url.endsWith('.ts') ? new URL('./main.ts', import.meta.url) : new URL('./worker.js', import.meta.url));
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  const spawnChild = () => {
    const started = Date.now();
    const proc = fork(entry, [], { stdio: 'inherit' });
    child = proc;
    proc.once('exit', (code, signal) => {
      if (stopping) return;
      // A worker that ran a while is restarted at once; one that keeps failing, with a growing pause.
      restarts = Date.now() - started > 60_000 ? 0 : restarts + 1;
      const delayMs = Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
      log.error({ code, signal, delayMs }, 'worker process exited; starting it again');
      setTimeout(() => stopping || spawnChild(), delayMs).unref();
    });
  };
  spawnChild();
  log.info({ pid: child!.pid }, 'worker started as a child process');
  return {
    async stop() {
      stopping = true;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const kill = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      });
    },
  };
}
