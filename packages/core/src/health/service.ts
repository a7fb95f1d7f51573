import { health } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import type { HealthResponse } from './schemas.ts';

/** What the health check probes besides the database: each resolves when its service answers. */
export interface HealthProbes {
  redis: () => Promise<unknown>;
}

/** Whether `probe` answers within `timeoutMs`; never throws. */
async function answers(probe: () => Promise<unknown>, timeoutMs: number): Promise<'ok' | 'error'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('check timed out')), timeoutMs);
  });
  try {
    await Promise.race([probe(), deadline]);
    return 'ok';
  } catch {
    return 'error';
  } finally {
    clearTimeout(timer);
  }
}

/** GET /api/health: a database round trip and a Redis PING, at once, each with a deadline; never throws. */
export async function checkHealth(deps: Pick<Deps, 'db' | 'clock'>, probes: HealthProbes, timeoutMs = 2_000): Promise<HealthResponse> {
  const [database, redis] = await Promise.all([answers(() => health.ping(deps.db.kysely), timeoutMs), answers(probes.redis, timeoutMs)]);
  return { status: database === 'ok' && redis === 'ok' ? 'ok' : 'degraded', timestamp: deps.clock.now().toISOString(), checks: { database, redis } };
}
