import type { Deps } from '../deps.ts';
import type { HealthResponse } from './schemas.ts';

/** GET /api/health: a database round trip with a deadline; never throws. */
export async function checkHealth(deps: Pick<Deps, 'db' | 'clock'>, timeoutMs = 2_000): Promise<HealthResponse> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('database check timed out')), timeoutMs);
  });
  let database: 'ok' | 'error' = 'ok';
  try {
    await Promise.race([deps.db.prisma.$queryRaw`SELECT 1`, deadline]);
  } catch {
    database = 'error';
  } finally {
    clearTimeout(timer);
  }
  return { status: database === 'ok' ? 'ok' : 'degraded', timestamp: deps.clock.now().toISOString(), checks: { database } };
}
