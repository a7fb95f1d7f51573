import { randomBytes } from 'node:crypto';
import { createDatabase, type Database } from '@aquoris/db';
import { createFreshDatabase } from '@aquoris/db/testing';
import { afterAll, beforeAll } from 'vitest';
import { fixedClock } from '../clock.ts';
import type { Deps } from '../deps.ts';
import { silentLogger } from '../logger.ts';

export type TestClock = ReturnType<typeof fixedClock>;
export type TestDeps = Deps & { db: Database; clock: TestClock };

/**
 * Core's deps over a fresh clone of the template database, without HTTP or
 * Stripe: for a file's direct tests of a service's rules. The clock is fixed.
 */
export function useCoreDeps(start = '2026-06-01T00:00:00.000Z'): () => TestDeps {
  let deps: TestDeps | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const fresh = await createFreshDatabase();
    drop = fresh.drop;
    const secret = randomBytes(32).toString('hex');
    deps = {
      db: createDatabase(fresh.url, { max: 3 }),
      clock: fixedClock(start),
      log: silentLogger,
      config: {
        publicUrl: 'http://127.0.0.1:1',
        sessionSecret: secret,
        adminSessionSecret: `${secret}a`,
        apiKeyEncryptionSecret: `${secret}b`,
        allowLocalhostRedirects: true,
      },
    };
  });
  afterAll(async () => {
    await deps?.db.close();
    await drop?.();
  });
  return () => {
    if (!deps) throw new Error('useCoreDeps: deps are ready inside tests only');
    return deps;
  };
}
