import { afterAll } from 'vitest';
import { useStripeCatalog, type Catalog } from './catalog.ts';
import { spawnTs, type SpawnedProcess } from './process.ts';
import type { StripeTestStack } from './stripe.ts';
import { workerEnv } from './worker-env.ts';

/** The operations drills (issue 14): API and worker processes joined to one Stripe test stack. */
export interface ProcessDrill {
  readonly stack: StripeTestStack;
  readonly catalog: Catalog;
  /** Spawns `src/main.ts` or `src/worker/main.ts` on the stack's database, Redis prefix and Stripe; resolves once `ready` is printed. */
  start(entry: string, ready: RegExp, env?: Record<string, string>): Promise<SpawnedProcess>;
}

/**
 * A file's drill: the Stripe stack and its catalog (its in-process API has no worker: it only receives the
 * emulator's webhooks), and every process the tests start, killed after them if still running.
 */
export function useProcessDrill(): ProcessDrill {
  let stack: StripeTestStack | undefined;
  let catalog: Catalog | undefined;
  const children: SpawnedProcess[] = [];
  useStripeCatalog(
    (s, c) => {
      stack = s;
      catalog = c;
    },
    { env: { WORKER_IN_PROCESS: 'false' } },
  );
  afterAll(async () => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    await stack?.control('DELETE', '/faults');
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useProcessDrill: ready inside tests and hooks only');
    return value;
  };
  return {
    get stack() {
      return ready(stack);
    },
    get catalog() {
      return ready(catalog);
    },
    async start(entry, readyLine, env = {}) {
      const child = spawnTs(entry, [], workerEnv(ready(stack).api.env, { WORKER_LOCK_DURATION_MS: '1000', WEBHOOK_SWEEP_INTERVAL_MS: '300', ...env }));
      children.push(child);
      await child.waitForOutput(readyLine, 60_000);
      return child;
    },
  };
}
