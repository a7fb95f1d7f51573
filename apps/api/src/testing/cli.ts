import { expect } from 'vitest';
import { spawnBuilt } from './process.ts';
import type { TestApi } from './index.ts';

/** Runs the built operator CLI (dist/cli.js, as `pnpm aqb` does) against a test API's database and Redis prefix; stdout must be one JSON line. */
export async function runCli(api: TestApi, args: string[]): Promise<{ code: number | null; json: any; stderr: string; stdout: string }> {
  const env = api.env;
  const proc = spawnBuilt('dist/cli.js', args, {
    DATABASE_URL: api.databaseUrl,
    SESSION_SECRET: env.SESSION_SECRET,
    ADMIN_SESSION_SECRET: env.ADMIN_SESSION_SECRET,
    REDIS_URL: env.REDIS_URL,
    REDIS_KEY_PREFIX: env.REDIS_KEY_PREFIX,
    NODE_ENV: 'test',
  });
  const code = await proc.exited;
  const stdout = proc.stdout();
  expect(stdout.trim().split('\n')).toHaveLength(1); // exactly one JSON object on stdout
  return { code, json: JSON.parse(stdout), stderr: proc.stderr(), stdout };
}
