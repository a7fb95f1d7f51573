import { rotateApiKey } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { TEST_ACTOR, useTwoApiInstances, type TestApi } from '../testing/index.ts';

let a: TestApi;
let b: TestApi;
// A second API instance over the same database and Redis namespace, as in a multi-instance deployment.
useTwoApiInstances((first, second) => ((a = first), (b = second)));

describe('API key rotation', () => {
  it('stops the old key at once on every instance, even after it was cached', async () => {
    const app = await a.createApp({ slug: 'rot' });
    // Warm both instances' key caches.
    expect((await a.request('/api/v1/plans', { apiKey: app.apiKey })).status).toBe(200);
    expect((await b.request('/api/v1/plans', { apiKey: app.apiKey })).status).toBe(200);

    const { apiKey: fresh } = await rotateApiKey(a.server.deps, TEST_ACTOR, 'rot');
    await new Promise((r) => setTimeout(r, 100)); // pub/sub delivery to the other instance

    for (const api of [a, b]) {
      const old = await api.request('/api/v1/plans', { apiKey: app.apiKey });
      expect(old.status).toBe(401);
      expect((await api.request('/api/v1/plans', { apiKey: fresh })).status).toBe(200);
    }
    const audit = await a.server.deps.db.prisma.auditLog.findMany({ where: { action: 'app.api_key_rotated' } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(fresh);
  });

  it('stores keys only hashed and encrypted', async () => {
    const app = await a.createApp({ slug: 'stored' });
    const row = await a.server.deps.db.prisma.app.findUniqueOrThrow({ where: { slug: 'stored' } });
    expect(JSON.stringify(row)).not.toContain(app.apiKey);
    expect(row.apiKeyHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
