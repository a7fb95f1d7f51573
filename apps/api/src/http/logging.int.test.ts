import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { createFreshDatabase, freePort, testEnv } from '../testing/index.ts';
import { createApp, createPlan } from '@aquoris/core';

let lines: string[] = [];
let server: ApiServer;
let baseUrl: string;
let database: { url: string; drop(): Promise<void> };

beforeAll(async () => {
  database = await createFreshDatabase();
  const port = await freePort();
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  server = await createApiServer(testEnv(database.url, port, { LOG_LEVEL: 'debug' }), { logger: createLogger('debug', sink) });
  ({ url: baseUrl } = await server.listen(port, '127.0.0.1'));
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

describe('structured logs', () => {
  it('one JSON line per request with a request id, and never a key, cookie or session token', async () => {
    const actor = { type: 'system' as const, name: 'test' };
    const { apiKey } = await createApp(server.deps, actor, { slug: 'logged', name: 'Logged', returnUrl: 'https://logged.example.com' });
    await createPlan(server.deps, actor, {
      slug: 'pro',
      name: 'Pro',
      priceAmount: 100,
      currency: 'usd',
      interval: 'month',
      stripePriceId: 'price_placeholder_pro',
    });
    lines = [];
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const session = await fetch(`${baseUrl}/api/v1/sessions`, { method: 'POST', headers, body: JSON.stringify({ externalUserId: 'u', appSlug: 'logged' }) });
    const { url } = (await session.json()) as { url: string };
    const token = url.split('/session/')[1]!;
    const visit = await fetch(`${baseUrl}/session/${token}`, { redirect: 'manual' });
    const cookie = /aqb_session=([^;]+)/.exec(visit.headers.get('set-cookie')!)![1]!;
    await fetch(`${baseUrl}/trpc/billing.overview`, { headers: { cookie: `aqb_session=${cookie}` } });
    await fetch(`${baseUrl}/api/v1/plans`, { headers: { authorization: 'Bearer aqb_wrong_key_value' } });
    await new Promise((r) => setTimeout(r, 50));

    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests.map((r) => r.path)).toEqual(['/api/v1/sessions', '/session/[redacted]', '/trpc/billing.overview', '/api/v1/plans']);
    for (const r of requests) expect(r.requestId).toMatch(/^req_/);
    expect(requests[0]).toMatchObject({ method: 'POST', status: 200, appId: expect.any(String) });
    const all = lines.join('\n');
    for (const secret of [apiKey, token, cookie, 'aqb_wrong_key_value', server.deps.config.sessionSecret]) expect(all).not.toContain(secret);
  });
});
