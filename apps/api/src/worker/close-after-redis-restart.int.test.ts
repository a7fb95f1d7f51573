import { afterAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../testing/index.ts';
import { startPrivateRedis, type PrivateRedis } from '../testing/redis-server.ts';

// Closing the API with its in-process worker right after Redis restarted is bounded: the worker's connections
// are told to stop waiting on a Redis that lost their state, instead of hanging the shutdown (issue 15).

let redis: PrivateRedis | undefined;
afterAll(async () => {
  await redis?.stop();
});

describe('close after a Redis restart', () => {
  it('the API with its in-process worker closes within a few seconds', async () => {
    redis = await startPrivateRedis();
    const api = await startTestApi({ env: { REDIS_URL: redis.url, WORKER_IN_PROCESS: 'true', WORKER_CHILD_PROCESS: 'false' } });
    expect((await api.request('/api/health')).status).toBe(200);
    await redis.stop();
    // Long enough for the worker's connections to be between reconnection attempts when Redis comes back.
    await new Promise((r) => setTimeout(r, 4_000));
    await redis.start();
    const started = Date.now();
    await api.close();
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 60_000);

  it('and while Redis is still down, without waiting for it', async () => {
    await redis!.start();
    const api = await startTestApi({ env: { REDIS_URL: redis!.url, WORKER_IN_PROCESS: 'true', WORKER_CHILD_PROCESS: 'false' } });
    expect((await api.request('/api/health')).status).toBe(200);
    await redis!.stop();
    await new Promise((r) => setTimeout(r, 1_000));
    const started = Date.now();
    await api.close();
    expect(Date.now() - started).toBeLessThan(8_000);
  }, 60_000);
});
