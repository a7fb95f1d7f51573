import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase } from '../testing/database.ts';
import { freePort } from '../testing/index.ts';
import { spawnTs } from '../testing/process.ts';
import { startPrivateRedis, type PrivateRedis } from '../testing/redis-server.ts';

// `pnpm start` runs the worker as a child process of the API by default (WORKER_CHILD_PROCESS): the webhook
// endpoint and the worker do not share an event loop. The child is restarted if it dies, and stops with the API.

let database: { url: string; drop(): Promise<void> };
let redis: PrivateRedis;

beforeAll(async () => {
  database = await createFreshDatabase();
  redis = await startPrivateRedis();
}, 120_000);
afterAll(async () => {
  await redis?.stop();
  await database?.drop();
});

const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the API entry point (pnpm start)', () => {
  it('starts the worker as its child process, starts it again when it dies, and stops it on SIGTERM', async () => {
    const port = await freePort();
    const api = spawnTs('src/main.ts', [], {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      ADMIN_SESSION_SECRET: randomBytes(32).toString('hex'),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `aqbchild${randomBytes(3).toString('hex')}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    try {
      await api.waitForOutput(/"msg":"worker ready"/, 90_000);
      const [worker] = childrenOf(api.child.pid!);
      expect(worker).toBeGreaterThan(0);
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);

      process.kill(worker!, 'SIGKILL');
      await api.waitForOutput(/worker process exited; starting it again/, 30_000);
      await api.waitForOutput(/"msg":"worker ready"[\s\S]*"msg":"worker ready"/, 90_000);
      const [again] = childrenOf(api.child.pid!);
      expect(again).not.toBe(worker);

      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      expect(alive(again!)).toBe(false);
      expect(api.stdout()).toMatch(/"msg":"worker shutdown complete"/);
    } finally {
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
    }
  }, 240_000);
});
