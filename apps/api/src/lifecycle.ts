import type { Logger } from 'pino';

export interface ShutdownOptions {
  log: Logger;
  /** What stops: `api`, `worker` (in the log lines). */
  what: string;
  /** SHUTDOWN_TIMEOUT_MS: past it the process exits 1 (an unfinished job goes back to the queue when its lock lapses). */
  timeoutMs: number;
  /** Stops accepting work, lets what runs finish, closes the connections. */
  close: () => Promise<void>;
}

/**
 * SIGTERM and SIGINT, for the API and the worker alike: close once, then exit 0; on a failure or past the
 * deadline, exit 1. The log is flushed before each exit so the last lines are not lost. Returns the same
 * stop, for other reasons to stop (a worker whose parent API went away).
 */
export function exitGracefullyOnSignals(options: ShutdownOptions): (reason: string) => void {
  const { log, what } = options;
  let stopping = false;
  const exit = (code: number) => log.flush(() => process.exit(code));
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutMs: options.timeoutMs }, `${what} shutting down: finishing in-flight work`);
    const force = setTimeout(() => {
      log.error({ timeoutMs: options.timeoutMs }, `${what} shutdown timed out; exiting`);
      exit(1);
    }, options.timeoutMs);
    force.unref();
    options.close().then(
      () => {
        log.info({}, `${what} shutdown complete`);
        exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, `${what} shutdown failed`);
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return stop;
}
