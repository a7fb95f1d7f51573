import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';

let api: TestApi;
let app: { id: string; apiKey: string };

beforeAll(async () => {
  api = await startTestApi();
  app = await api.createApp({ slug: 'race', rateLimitPerMinute: 10_000 });
});
afterAll(() => api.close());

describe('concurrent first calls for one new user', () => {
  it('parallel upserts create exactly one customer and never 500', async () => {
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        api.request('/api/v1/customers/new_user_a', { method: 'PUT', apiKey: app.apiKey, json: { email: `u${i}@example.com` } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
    const ids = new Set(await Promise.all(results.map(async (r) => ((await r.json()) as any).id)));
    expect(ids.size).toBe(1);
    expect(await api.server.deps.db.prisma.customer.count({ where: { appId: app.id, externalUserId: 'new_user_a' } })).toBe(1);
  });

  it('parallel sessions create exactly one customer', async () => {
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        api.request('/api/v1/sessions', { method: 'POST', apiKey: app.apiKey, json: { externalUserId: 'new_user_b', appSlug: 'race', user: { name: 'B' } } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(await api.server.deps.db.prisma.customer.count({ where: { appId: app.id, externalUserId: 'new_user_b' } })).toBe(1);
  });

  it('mixed upserts and sessions for one new user agree on one customer', async () => {
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? api.request('/api/v1/customers/new_user_c', { method: 'PUT', apiKey: app.apiKey, json: { name: `n${i}` } })
        : api.request('/api/v1/sessions', { method: 'POST', apiKey: app.apiKey, json: { externalUserId: 'new_user_c', appSlug: 'race' } }),
    );
    expect((await Promise.all(calls)).every((r) => r.status === 200)).toBe(true);
    expect(await api.server.deps.db.prisma.customer.count({ where: { appId: app.id, externalUserId: 'new_user_c' } })).toBe(1);
  });
});
