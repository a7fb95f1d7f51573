import { setTimeout as sleep } from 'node:timers/promises';
import { createAdmin } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callAdmin } from '../../../testing/admin.ts';
import { startTestApi, TEST_ACTOR, type TestApi } from '../../../testing/index.ts';

// Two instances over one database and one Redis namespace, with the production limit (5 a minute per address).
let a: TestApi;
let b: TestApi;
beforeAll(async () => {
  a = await startTestApi({ env: { ADMIN_LOGIN_RATE_LIMIT_PER_MINUTE: '5' } });
  b = await startTestApi({ databaseUrl: a.databaseUrl, env: { REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX, ADMIN_LOGIN_RATE_LIMIT_PER_MINUTE: '5' } });
  await createAdmin(a.server.deps, TEST_ACTOR, { email: 'ops@example.com', password: 'correct horse battery', name: 'Ops' });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe('the sign-in limit is per address and shared by every instance', () => {
  it('attempts 1–5 across two instances are answered; the 6th gets 429 with the seconds to wait, even with the right password', async () => {
    // The window is a fixed minute: start well inside one so all six attempts land in it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await sleep(60_500 - intoMinute);
    const wrong = { email: 'ops@example.com', password: 'wrong password' };
    const statuses = [];
    for (const api of [a, b, a, b, a]) statuses.push((await callAdmin(api, 'mutation', 'admin.auth.login', wrong)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);

    const sixth = await callAdmin(b, 'mutation', 'admin.auth.login', { email: 'ops@example.com', password: 'correct horse battery' });
    expect(sixth.status).toBe(429);
    expect(sixth.error?.data.appCode).toBe('RATE_LIMITED');
    const wait = sixth.error?.data.retryAfterSeconds;
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(sixth.headers.get('retry-after')).toBe(String(wait));
    expect(sixth.error?.message).toBe(`Too many sign-in attempts: try again in ${wait} seconds`);
    expect(sixth.setCookie).toBeNull();

    // One counter for the address in the shared Redis, whichever instance answered.
    const counters = await a.server.deps.redis.keys(`${a.env.REDIS_KEY_PREFIX}:rl:admin-login:*`);
    expect(counters).toEqual([expect.stringContaining(':rl:admin-login:127.0.0.1:')]);
  }, 120_000);
});
