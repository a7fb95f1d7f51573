import { fixedClock } from '@aquoris/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { EligibilityCache, LISTENER_APPLICATION_NAME } from './eligibility-cache.ts';

const clock = fixedClock('2026-06-01T00:00:00Z');
let api: TestApi;
let app: { id: string; apiKey: string };

async function eligibility(user: string): Promise<any> {
  const res = await api.request(`/api/v1/customers/${user}/subscription`, { apiKey: app.apiKey });
  expect(res.status).toBe(200);
  return res.json();
}

async function until(check: () => boolean | Promise<boolean>, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function sql(text: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: api.databaseUrl });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

const cached = (user: string) => api.server.eligibilityCache.get(EligibilityCache.key(app.id, user)) !== undefined;

beforeAll(async () => {
  api = await startTestApi({ clock });
  app = await api.createApp({ slug: 'cached' });
  await api.createPlan({ slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month' });
});
afterAll(() => api.close());

describe('eligibility cache', () => {
  it('serves a repeated read from memory', async () => {
    await api.grantSubscription({ appSlug: 'cached', externalUserId: 'memo', planSlug: 'pro', days: 30 });
    const first = await eligibility('memo');
    expect(cached('memo')).toBe(true);
    expect(await eligibility('memo')).toEqual(first);
  });

  it('drops an answer when any writer changes the subscription, even raw SQL from another connection', async () => {
    await api.grantSubscription({ appSlug: 'cached', externalUserId: 'raw', planSlug: 'pro', days: 30 });
    expect((await eligibility('raw')).base.status).toBe('ACTIVE');
    await sql(`UPDATE subscriptions SET status = 'CANCELED' WHERE "customerId" = (SELECT id FROM customers WHERE "externalUserId" = 'raw')`);
    await until(() => !cached('raw'));
    expect(await eligibility('raw')).toEqual({ base: null, addons: [] });
  });

  it('drops a cached "no subscription" when one is granted', async () => {
    expect(await eligibility('late')).toEqual({ base: null, addons: [] });
    expect(cached('late')).toBe(true);
    await api.grantSubscription({ appSlug: 'cached', externalUserId: 'late', planSlug: 'pro', days: 30 });
    await until(() => !cached('late'));
    expect((await eligibility('late')).base.source).toBe('MANUAL');
  });

  it('sync() returns only after every earlier commit, from any connection, has reached the cache', async () => {
    await api.grantSubscription({ appSlug: 'cached', externalUserId: 'sync', planSlug: 'pro', days: 30 });
    const listener = (api.server.eligibilityCache as unknown as { listener: pg.Client }).listener;
    const writer = new pg.Client({ connectionString: api.databaseUrl });
    await writer.connect();
    try {
      for (const flag of [true, false, true]) {
        await eligibility('sync');
        expect(cached('sync')).toBe(true);
        // A busy listener: PostgreSQL holds its notifications until this statement ends.
        const busy = listener.query('SELECT pg_sleep(0.3)');
        await writer.query(
          `UPDATE subscriptions SET "cancelAtPeriodEnd" = $1 WHERE "customerId" = (SELECT id FROM customers WHERE "externalUserId" = 'sync')`,
          [flag],
        );
        expect(cached('sync')).toBe(true); // the update's notification has not arrived yet
        await api.server.eligibilityCache.sync();
        expect(cached('sync')).toBe(false); // the marker came back after the update's notification
        expect((await eligibility('sync')).base.cancelAtPeriodEnd).toBe(flag);
        await busy;
      }
    } finally {
      await writer.end();
    }
  });

  it('drops everything when a plan is renamed', async () => {
    await api.grantSubscription({ appSlug: 'cached', externalUserId: 'renamed', planSlug: 'pro', days: 30 });
    await eligibility('renamed');
    await sql(`UPDATE plans SET name = 'Aquoris PRO+' WHERE slug = 'pro'`);
    await until(() => !cached('renamed') && !cached('memo'));
    expect((await eligibility('renamed')).base.plan.name).toBe('Aquoris PRO+');
  });

  it('expires an answer when the manual grant behind it lapses, with no write at all', async () => {
    await api.grantSubscription({ appSlug: 'cached', externalUserId: 'lapsing', planSlug: 'pro', days: 2 });
    expect((await eligibility('lapsing')).base.status).toBe('ACTIVE');
    clock.advance(2 * 86_400_000 + 1_000);
    expect(await eligibility('lapsing')).toEqual({ base: null, addons: [] });
  });

  it('keeps serving what it holds while the notification connection is down, then resyncs what changed meanwhile', async () => {
    for (const user of ['outage', 'outage-kept']) {
      await api.grantSubscription({ appSlug: 'cached', externalUserId: user, planSlug: 'pro', days: 30 });
      expect((await eligibility(user)).base.status).toBe('ACTIVE');
    }
    // The kept user's grant and the plans (renamed above) date from well before the resync's margin (triggers off:
    // only the dates move).
    await sql(`SET session_replication_role = replica;
      UPDATE plans SET "updatedAt" = now() - interval '1 hour';
      UPDATE subscriptions SET "updatedAt" = now() - interval '1 hour' WHERE "customerId" = (SELECT id FROM customers WHERE "externalUserId" = 'outage-kept')`);
    // One transaction ends the listener's connection, then cancels a subscription: its notification is sent at
    // commit, when nobody listens, so only the resync can learn of it.
    const writer = new pg.Client({ connectionString: api.databaseUrl });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [
        LISTENER_APPLICATION_NAME,
      ]);
      await until(() => !api.server.eligibilityCache.isServing);
      await writer.query(`UPDATE subscriptions SET status = 'CANCELED' WHERE "customerId" = (SELECT id FROM customers WHERE "externalUserId" = 'outage')`);
      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }
    expect(cached('outage') && cached('outage-kept')).toBe(true); // held answers are still served, up to their TTL
    await eligibility('not-held'); // a new answer comes from the database and is not stored while away
    expect(cached('not-held')).toBe(false);

    await until(() => api.server.eligibilityCache.isServing, 10_000);
    expect(cached('outage')).toBe(false); // the resync dropped what changed while away
    expect(cached('outage-kept')).toBe(true); // and kept the rest
    expect(await eligibility('outage')).toEqual({ base: null, addons: [] });
    expect(cached('outage')).toBe(true);
  });

  it('warms from the database at start-up', async () => {
    const second = await startTestApi({ clock, databaseUrl: api.databaseUrl });
    try {
      expect(second.server.eligibilityCache.get(EligibilityCache.key(app.id, 'memo'))).toContain('"status":"ACTIVE"');
    } finally {
      await second.close();
    }
  });

  it('answers malformed percent-encoding with a 422 envelope', async () => {
    const res = await api.request('/api/v1/customers/%E0%A4%A/subscription', { apiKey: app.apiKey });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).error.code).toBe('VALIDATION_ERROR');
  });
});

describe('EligibilityCache.read', () => {
  it('does not keep an answer whose read overlapped an invalidation', async () => {
    const cache = api.server.eligibilityCache;
    const key = EligibilityCache.key('app_x', 'overlap');
    const body = await cache.read(key, async () => {
      cache.invalidate(key); // a change committed while this read was in flight
      return { response: { base: null, addons: [] }, validUntil: null };
    });
    expect(body).toBe('{"base":null,"addons":[]}');
    expect(cache.get(key)).toBeUndefined();
  });
});
