import { customers, subscriptions } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { listAuditEntries } from '../audit/list.ts';
import { createApp } from '../apps/service.ts';
import { DAY_MS } from '../clock.ts';
import { createPlan } from '../plans/service.ts';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { listSubscriptions } from './admin.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;

async function seed() {
  const db = deps().db.kysely;
  const { app: a } = await createApp(deps(), ops, { slug: 'list-a', name: 'A', returnUrl: 'https://a.example.com/' });
  const { app: b } = await createApp(deps(), ops, { slug: 'list-b', name: 'B', returnUrl: 'https://b.example.com/' });
  const pro = await createPlan(deps(), ops, {
    slug: 'list-pro',
    name: 'PRO',
    priceAmount: 100,
    currency: 'thb',
    interval: 'month',
    stripePriceId: 'price_list_pro',
  });
  const team = await createPlan(deps(), ops, {
    slug: 'list-team',
    name: 'Team',
    priceAmount: 200,
    currency: 'thb',
    interval: 'month',
    stripePriceId: 'price_list_team',
  });
  const base = Date.parse('2026-01-01T00:00:00Z');
  // 30 subscriptions; several share a createdAt, so only the id breaks the tie.
  for (let i = 0; i < 30; i++) {
    const app = i % 3 === 0 ? b : a;
    const customer = await customers.upsert(db, app.id, `u${i}`, {});
    // createdAt is the database's by default; set here so several rows share one.
    const row = {
      appId: app.id,
      customerId: customer.id,
      planId: i % 2 === 0 ? pro.id : team.id,
      status: i % 5 === 0 ? 'CANCELED' : 'ACTIVE',
      source: 'MANUAL',
      kind: 'BASE',
      currentPeriodStart: new Date(base),
      currentPeriodEnd: new Date(base + 30 * DAY_MS),
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
      livemode: i % 4 === 0,
    } as const;
    await subscriptions.insert(db, row);
  }
  return { a, b, pro, team };
}

describe('admin subscriptions list', () => {
  it('counts exactly per filter and pages through every row once, even while rows are inserted', async () => {
    const { a, pro } = await seed();
    expect((await listSubscriptions(deps(), {})).total).toBe(30);
    expect((await listSubscriptions(deps(), { status: 'CANCELED' })).total).toBe(6);
    expect((await listSubscriptions(deps(), { appSlug: 'list-b' })).total).toBe(10);
    expect((await listSubscriptions(deps(), { appSlug: 'list-a', planSlug: 'list-pro', status: 'ACTIVE' })).total).toBe(8);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listSubscriptions(deps(), { limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.subscriptions.map((s) => s.id));
      // A new subscription arrives between pages: it sorts before the first page, never into the rest.
      const c = await customers.upsert(deps().db.kysely, a.id, `late${pages}`, {});
      await subscriptions.insert(deps().db.kysely, {
        appId: a.id,
        customerId: c.id,
        planId: pro.id,
        status: 'ACTIVE',
        source: 'MANUAL',
        kind: 'BASE',
        currentPeriodStart: new Date(),
        currentPeriodEnd: new Date(Date.now() + DAY_MS),
      });
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    const rows = await deps().db.kysely.selectFrom('subscriptions').select(['id', 'createdAt']).where('createdAt', '<', new Date('2026-02-01')).execute();
    const expected = rows.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).map((r) => r.id);
    expect(seen).toEqual(expected);
  });

  it('shows customer, app and plan on each row; filters by status and app together', async () => {
    const page = await listSubscriptions(deps(), { status: 'CANCELED', appSlug: 'list-b', limit: 50 });
    expect(page.subscriptions.length).toBe(page.total);
    for (const s of page.subscriptions)
      expect(s).toMatchObject({ status: 'CANCELED', app: 'list-b', customer: { externalUserId: expect.stringMatching(/^u/) } });
    expect(page.nextCursor).toBeNull();
  });

  it('filters by Stripe mode, with the exact total, alone and with the app', async () => {
    expect((await listSubscriptions(deps(), { mode: 'live', limit: 50 })).total).toBe(8);
    // The other tests' rows (inserted during paging) are test mode: every row is in exactly one mode.
    const [all, test] = await Promise.all([listSubscriptions(deps(), { limit: 50 }), listSubscriptions(deps(), { mode: 'test', limit: 50 })]);
    expect([test.total, test.subscriptions.length]).toEqual([all.total - 8, all.total - 8]);
    const liveB = await listSubscriptions(deps(), { mode: 'live', appSlug: 'list-b', limit: 50 });
    expect([liveB.total, liveB.subscriptions.map((s) => s.customer.externalUserId).sort()]).toEqual([3, ['u0', 'u12', 'u24']]);
  });

  it('refuses unknown filters, a forged cursor and unknown fields', async () => {
    expect(await rejectionStatus(listSubscriptions(deps(), { appSlug: 'nope' }))).toBe(404);
    expect(await rejectionStatus(listSubscriptions(deps(), { planSlug: 'nope' }))).toBe(404);
    expect(await rejectionStatus(listSubscriptions(deps(), { cursor: 'not-a-cursor' }))).toBe(422);
    expect(await rejectionStatus(listSubscriptions(deps(), { status: 'GONE' as 'ACTIVE' }))).toBe(422);
    expect(await rejectionStatus(listSubscriptions(deps(), { extra: 1 } as never))).toBe(422);
    expect(await rejectionStatus(listSubscriptions(deps(), { limit: 201 }))).toBe(422);
  });
});

describe('audit log list', () => {
  it('pages newest first, filters by actor type and action, labels actors', async () => {
    const all = await listAuditEntries(deps(), { limit: 2 });
    expect(all.entries).toHaveLength(2);
    expect(all.nextCursor).not.toBeNull();
    const rest = await listAuditEntries(deps(), { limit: 100, cursor: all.nextCursor! });
    const ids = [...all.entries, ...rest.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(4); // two apps and two plans created by the CLI user
    const plans = await listAuditEntries(deps(), { action: 'plan.created' });
    expect(plans.entries.map((e) => e.action)).toEqual(['plan.created', 'plan.created']);
    expect(plans.entries[0]?.actor).toEqual({ type: 'CLI', id: 'ops', label: 'CLI: ops' });
    expect((await listAuditEntries(deps(), { actorType: 'ADMIN' })).entries).toEqual([]);
    expect(await rejectionStatus(listAuditEntries(deps(), { actorType: 'ROBOT' as 'ADMIN' }))).toBe(422);
  });
});
