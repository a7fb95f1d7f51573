import { audit } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { authenticateApiKey, createApp, listApps, revealApiKey, rotateApiKey, updateApp } from './service.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;
const newApp = (slug: string) => createApp(deps(), ops, { slug, name: `App ${slug}`, returnUrl: `https://${slug}.example.com/` });

describe('apps service', () => {
  it('creates an app whose key authenticates, and audits it', async () => {
    const { app, apiKey } = await newApp('alpha');
    expect(await authenticateApiKey(deps(), apiKey)).toEqual({ type: 'app', appId: app.id, appSlug: 'alpha', rateLimitPerMinute: 100 });
    const entries = await deps().db.kysely.selectFrom('audit_logs').selectAll().where('targetId', '=', app.id).execute();
    expect(entries.map((e) => [e.action, e.actorType, e.actorId])).toEqual([['app.created', 'CLI', 'ops']]);
    expect(entries[0]!.id).toMatch(/^[a-z][a-z0-9]{23}$/);
  });

  it('refuses a second app with the same slug (409) and writes nothing', async () => {
    await newApp('taken');
    expect(await rejectionStatus(newApp('taken'))).toBe(409);
    expect((await listApps(deps())).filter((a) => a.slug === 'taken')).toHaveLength(1);
  });

  it('rotation stops the old key at once; reveal returns the current one', async () => {
    const { apiKey: oldKey } = await newApp('rotating');
    const { apiKey: newKey } = await rotateApiKey(deps(), ops, 'rotating');
    expect(await rejectionStatus(authenticateApiKey(deps(), oldKey))).toBe(401);
    expect((await authenticateApiKey(deps(), newKey)).appSlug).toBe('rotating');
    expect((await revealApiKey(deps(), ops, 'rotating')).apiKey).toBe(newKey);
  });

  it('updates only the given fields, and an unknown slug is a 404', async () => {
    await newApp('editable');
    const updated = await updateApp(deps(), ops, { slug: 'editable', rateLimitPerMinute: 7 });
    expect(updated).toMatchObject({ slug: 'editable', name: 'App editable', rateLimitPerMinute: 7 });
    expect(await rejectionStatus(updateApp(deps(), ops, { slug: 'nobody', name: 'x' }))).toBe(404);
  });

  it('an API key that was never issued is a 401', async () => {
    expect(await rejectionStatus(authenticateApiKey(deps(), 'aqb_live_not_a_key'))).toBe(401);
    expect(await rejectionStatus(authenticateApiKey(deps(), undefined))).toBe(401);
  });

  it('audit.insert is the one writer: every entry has the same id format', async () => {
    await audit.insert(deps().db.kysely, { actorType: 'SYSTEM', actorId: 'test', action: 'x.y' });
    const ids = (await deps().db.kysely.selectFrom('audit_logs').select('id').execute()).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]{23}$/);
  });
});
