import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAdmin, type TestAdmin } from '../../../testing/admin.ts';
import { startTestApi, type TestApi } from '../../../testing/index.ts';

let api: TestApi;
let admin: TestAdmin;
beforeAll(async () => {
  api = await startTestApi();
  admin = await signedInAdmin(api);
});
afterAll(() => api?.close());

const sessions = (apiKey: string) => api.request('/api/v1/sessions', { method: 'POST', apiKey, json: { externalUserId: 'u1', appSlug: 'vega' } });

describe('admin.apps', () => {
  it('create answers the full key once; it works on REST v1; reveal is audited; regenerate ends the old key at once', async () => {
    const created = await admin.mutate('admin.apps.create', {
      slug: 'vega',
      name: 'Vega',
      returnUrl: 'https://vega.example.com/settings',
      rateLimitPerMinute: 300,
    });
    expect(created.status).toBe(200);
    const key = created.data.apiKey as string;
    expect(created.data.app).toMatchObject({ slug: 'vega', rateLimitPerMinute: 300, apiKeyPrefix: key.slice(0, created.data.app.apiKeyPrefix.length) });
    expect((await sessions(key)).status).toBe(200);
    expect((await admin.query('admin.apps.list')).data[0]).not.toHaveProperty('apiKey');

    expect((await admin.mutate('admin.apps.revealKey', { slug: 'vega' })).data.apiKey).toBe(key);
    const regenerated = await admin.mutate('admin.apps.regenerateKey', { slug: 'vega' });
    expect((await sessions(key)).status).toBe(401);
    expect((await sessions(regenerated.data.apiKey)).status).toBe(200);
    const updated = await admin.mutate('admin.apps.update', { slug: 'vega', name: 'Vega 2', rateLimitPerMinute: 50 });
    expect(updated.data).toMatchObject({ name: 'Vega 2', rateLimitPerMinute: 50 });

    const actions = (await api.prisma.auditLog.findMany({ where: { actorId: admin.id, targetType: 'app' }, orderBy: { createdAt: 'asc' } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(['app.created', 'app.api_key_revealed', 'app.api_key_rotated', 'app.updated']);
  });

  it('field errors: a bad return URL and a taken slug are named on their fields', async () => {
    const bad = await admin.mutate('admin.apps.create', { slug: 'x', name: 'X', returnUrl: 'ftp://x.example.com' });
    expect(bad.status).toBe(422);
    expect(bad.error?.data.fieldErrors).toEqual({ returnUrl: 'must be an absolute http or https URL' });
    const taken = await admin.mutate('admin.apps.create', { slug: 'vega', name: 'Again', returnUrl: 'https://v.example.com' });
    expect(taken.status).toBe(409);
    expect(taken.error?.data.fieldErrors).toEqual({ slug: 'an app with this slug already exists' });
  });

  it('changeAllowedOrigins: a new app lists its returnUrl origin; entries are added and removed, validated, each change audited once', async () => {
    const created = await admin.mutate('admin.apps.create', { slug: 'origins', name: 'Origins', returnUrl: 'https://app.origins.example/settings' });
    expect(created.data.app.allowedOrigins).toEqual(['https://app.origins.example']);
    const key = created.data.apiKey as string;
    const session = (returnUrl: string) =>
      api.request('/api/v1/sessions', { method: 'POST', apiKey: key, json: { externalUserId: 'u1', appSlug: 'origins', returnUrl } });
    expect((await session('https://shop.origins.example/back')).status).toBe(400);

    const added = await admin.mutate('admin.apps.changeAllowedOrigins', {
      slug: 'origins',
      add: ['https://*.Origins.example/', 'https://partner.example:8443'],
    });
    expect(added.data.allowedOrigins).toEqual(['https://app.origins.example', 'https://*.origins.example', 'https://partner.example:8443']);
    expect((await session('https://shop.origins.example/back')).status).toBe(200);
    expect((await session('https://origins.example/back')).status).toBe(400); // the wildcard does not cover the apex

    const removed = await admin.mutate('admin.apps.changeAllowedOrigins', { slug: 'origins', remove: ['https://*.origins.example'] });
    expect(removed.data.allowedOrigins).toEqual(['https://app.origins.example', 'https://partner.example:8443']);
    expect((await session('https://shop.origins.example/back')).status).toBe(400);

    for (const [input, field, message] of [
      [{ add: ['https://*'] }, 'add.0', 'wildcard'],
      [{ add: ['https://a.example/path'] }, 'add.0', 'no path'],
      [{ add: ['http://a.example'] }, 'add.0', 'https'],
      [{ add: ['https://app.origins.example'] }, 'add', 'already an allowed origin'],
      [{ remove: ['https://nope.example'] }, 'remove', 'is not in the allowed origins'],
      [{}, 'add', 'at least one origin'],
    ] as const) {
      const res = await admin.mutate('admin.apps.changeAllowedOrigins', { slug: 'origins', ...input });
      expect(res.status, JSON.stringify(input)).toBe(422);
      expect(res.error?.data.fieldErrors?.[field], JSON.stringify(res.error?.data)).toContain(message);
    }
    const audits = await api.prisma.auditLog.findMany({
      where: { action: 'app.allowed_origins_changed', targetId: created.data.app.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(audits.map((a) => a.details)).toEqual([
      { added: ['https://*.origins.example', 'https://partner.example:8443'], removed: [] },
      { added: [], removed: ['https://*.origins.example'] },
    ]);
  });
});
