import type { Env } from '../env.ts';

/** The environment a standalone worker (`src/worker/main.ts`) needs to join a test API: same database, Redis prefix and Stripe. */
export function workerEnv(env: Env, overrides: Record<string, string> = {}): Record<string, string> {
  const pick = [
    'NODE_ENV',
    'DATABASE_URL',
    'SESSION_SECRET',
    'ADMIN_SESSION_SECRET',
    'REDIS_URL',
    'REDIS_KEY_PREFIX',
    'STRIPE_SECRET_KEY',
    'STRIPE_WEBHOOK_SECRET',
    'STRIPE_API_BASE',
  ] as const;
  const out: Record<string, string> = { LOG_LEVEL: 'info', DATABASE_POOL_SIZE: '4' };
  for (const name of pick) {
    const value = env[name];
    if (value !== undefined) out[name] = String(value);
  }
  return { ...out, ...overrides };
}
