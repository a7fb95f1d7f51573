import { sql } from '@aquoris/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAdmin, type TestAdmin } from '../testing/admin.ts';
import { rebuildMetrics } from '@aquoris/core';
import { startTestApi, TEST_ACTOR, type TestApi } from '../testing/index.ts';

let api: TestApi;
let admin: TestAdmin;
let alpha: { id: string; slug: string; apiKey: string };
let beta: { id: string; slug: string; apiKey: string };
let planId: string;
let readOnly: string;
let readWrite: string;

const db = () => api.server.deps.db.kysely;
const get = async (path: string, token?: string) => {
  const res = await api.request(path, token ? { apiKey: token } : {});
  return { status: res.status, body: (await res.json()) as any };
};

/** Bulk rows in SQL: `n` customers' invoices (every second one paid, every fifth paid one refunded) and subscriptions, one second apart in threes. */
async function seed(appId: string, tag: string, n: number, base: Date): Promise<void> {
  const at = (i: string) => sql.raw(`'${base.toISOString()}'::timestamptz + ((${i}) / 3) * interval '1 second'`);
  await sql`insert into customers (id, "appId", "externalUserId", "createdAt", "updatedAt")
    select ${tag} || '_c' || i, ${appId}, ${tag} || '_user_' || i, now(), now() from generate_series(1, ${n}) i`.execute(db());
  await sql`insert into invoices (id, "appId", "customerId", source, status, amount, "amountPaid", currency, "paidAt", "createdAt", "updatedAt")
    select ${tag} || '_i' || lpad(i::text, 6, '0'), ${appId}, ${tag} || '_c' || i, 'MANUAL', (case when i % 2 = 0 then 'PAID' else 'OPEN' end)::"InvoiceStatus",
      1000 + i, case when i % 2 = 0 then 1000 + i else 0 end, 'thb', case when i % 2 = 0 then ${at('i')} + interval '1 hour' end, ${at('i')}, now()
    from generate_series(1, ${n}) i`.execute(db());
  await sql`insert into refunds (id, "invoiceId", amount, currency, status, "createdAt", "updatedAt")
    select ${tag} || '_r' || lpad(i::text, 6, '0'), ${tag} || '_i' || lpad(i::text, 6, '0'), 100, 'thb', 'SUCCEEDED', ${at('i')} + interval '2 hours', now()
    from generate_series(10, ${n}, 10) i`.execute(db());
  await sql`insert into subscriptions (id, "appId", "customerId", "planId", "billingInterval", status, source, "currentPeriodStart", "currentPeriodEnd", "createdAt", "updatedAt")
    select ${tag} || '_s' || lpad(i::text, 6, '0'), ${appId}, ${tag} || '_c' || i, ${planId}, 'month', (case when i % 4 = 0 then 'CANCELED' else 'ACTIVE' end)::"SubscriptionStatus",
      'MANUAL', ${at('i')}, ${at('i')} + interval '30 days', ${at('i')}, now()
    from generate_series(1, ${n}) i`.execute(db());
}

beforeAll(async () => {
  api = await startTestApi();
  admin = await signedInAdmin(api);
  alpha = await api.createApp({ slug: 'alpha' });
  beta = await api.createApp({ slug: 'beta' });
  planId = (await api.createPlan({ slug: 'basic', name: 'Basic', priceAmount: 0, currency: 'thb', interval: 'month' })).id;
  // 2 × 5,000 customers: 10,000 invoices, 5,000 payments, 1,000 refunds, 10,000 subscriptions.
  await seed(alpha.id, 'a', 5000, new Date('2026-01-01T00:00:00Z'));
  await seed(beta.id, 'b', 5000, new Date('2026-01-01T00:00:00Z'));
  readOnly = (await admin.mutate('admin.tokens.create', { name: 'Reporting', scope: 'READ_ONLY' })).data.secret;
  readWrite = (await admin.mutate('admin.tokens.create', { name: 'Ops bot', scope: 'READ_WRITE' })).data.secret;
}, 120_000);
afterAll(() => api?.close());

describe('operator API tokens', () => {
  it('are shown once, stored as their sha256 only, listed without the secret, and each creation is audited once', async () => {
    expect(readOnly).toMatch(/^aqb_op_[\w-]{43}$/);
    const rows = await api.prisma.operatorToken.findMany();
    expect(rows.map((r) => r.tokenHash)).not.toContain(readOnly);
    expect(JSON.stringify(rows)).not.toContain(readOnly.slice(12));
    const list = (await admin.query('admin.tokens.list')).data as any[];
    expect(list.map((t) => [t.name, t.scope, t.revokedAt])).toEqual([
      ['Ops bot', 'READ_WRITE', null],
      ['Reporting', 'READ_ONLY', null],
    ]);
    expect(JSON.stringify(list)).not.toContain(readOnly.slice(12));
    const audits = await api.prisma.auditLog.findMany({ where: { action: 'operator_token.created' } });
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toContain(readOnly.slice(12));
  });

  it('a VIEWER may list but not create or revoke them', async () => {
    const viewer = await signedInAdmin(api, { role: 'VIEWER' });
    expect((await viewer.query('admin.tokens.list')).status).toBe(200);
    expect((await viewer.mutate('admin.tokens.create', { name: 'x', scope: 'READ_ONLY' })).error?.data.appCode).toBe('FORBIDDEN');
    const id = ((await admin.query('admin.tokens.list')).data as any[])[0].id;
    expect((await viewer.mutate('admin.tokens.revoke', { id })).error?.data.appCode).toBe('FORBIDDEN');
  });

  it('refuse a missing, unknown or app token (401), and do not open the app routes', async () => {
    for (const token of [undefined, 'aqb_op_' + 'x'.repeat(43), alpha.apiKey, readOnly.slice(0, -1)]) {
      const res = await get('/api/v1/admin/apps', token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
    expect((await get('/api/v1/plans', readWrite)).status).toBe(401);
  });

  it('read-only reads and gets 403 on a change; read-write changes, audited once as the token', async () => {
    expect((await get('/api/v1/admin/apps', readOnly)).status).toBe(200);
    await sql`insert into subscriptions (id, "appId", "customerId", "planId", "billingInterval", status, source, "currentPeriodStart", "currentPeriodEnd", "createdAt", "updatedAt")
      values ('new_running', ${alpha.id}, 'a_c1', ${planId}, 'month', 'ACTIVE', 'MANUAL', now(), now() + interval '30 days', now(), now())`.execute(db());
    const cancel = (token: string) => api.request('/api/v1/admin/subscriptions/new_running/cancel', { method: 'POST', apiKey: token });
    const refused = await cancel(readOnly);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.code).toBe('FORBIDDEN');
    expect(await api.prisma.subscription.findUniqueOrThrow({ where: { id: 'new_running' } })).toMatchObject({ cancelAtPeriodEnd: false });
    const done = await cancel(readWrite);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ id: 'new_running', cancelAtPeriodEnd: true, app: 'alpha' });
    const token = await api.prisma.operatorToken.findFirstOrThrow({ where: { name: 'Ops bot' } });
    const audits = await api.prisma.auditLog.findMany({ where: { targetId: 'new_running' } });
    expect(audits.map((a) => [a.action, a.actorType, a.actorId])).toEqual([['subscription.cancel_requested', 'SYSTEM', `operator_token:${token.id}`]]);
    expect(token.lastUsedAt).not.toBeNull();
  });

  it('a revoked token answers 401 at once; revoking twice is refused; each revocation audited once', async () => {
    const created = (await admin.mutate('admin.tokens.create', { name: 'Temp', scope: 'READ_ONLY' })).data;
    expect((await get('/api/v1/admin/stats', created.secret)).status).toBe(200);
    expect((await admin.mutate('admin.tokens.revoke', { id: created.token.id })).data).toMatchObject({ revokedAt: expect.any(String) });
    expect((await get('/api/v1/admin/stats', created.secret)).status).toBe(401);
    expect((await admin.mutate('admin.tokens.revoke', { id: created.token.id })).error?.data.appCode).toBe('OPERATOR_TOKEN_ALREADY_REVOKED');
    expect((await admin.mutate('admin.tokens.revoke', { id: 'nope' })).error?.data.appCode).toBe('OPERATOR_TOKEN_NOT_FOUND');
    expect(await api.prisma.auditLog.count({ where: { action: 'operator_token.revoked', targetId: created.token.id } })).toBe(1);
  });
});

/** Pages through `path` with `limit`, calling `between` after each page; the ids in order. */
async function pageThrough(
  path: string,
  key: 'transactions' | 'subscriptions',
  between: (page: number) => Promise<void>,
): Promise<{ id: string; createdAt: string }[]> {
  const seen: { id: string; createdAt: string }[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    const res = await get(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`, readOnly);
    expect(res.status).toBe(200);
    seen.push(...res.body[key].map((r: any) => ({ id: r.id, createdAt: r.createdAt })));
    cursor = res.body.nextCursor;
    if (!cursor) return seen;
    await between(page);
  }
}

const sortedNewestFirst = (rows: { id: string; createdAt: string }[]) =>
  rows.every((r, i) => i === 0 || rows[i - 1]!.createdAt > r.createdAt || (rows[i - 1]!.createdAt === r.createdAt && rows[i - 1]!.id > r.id));

describe('GET /api/v1/admin/transactions', () => {
  it('pages 16,000 invoices, payments and refunds of both apps exactly, with rows inserted between pages', async () => {
    let inserted = 0;
    const seen = await pageThrough('/api/v1/admin/transactions', 'transactions', async (page) => {
      if (page % 10 !== 0) return;
      // New invoices (now: before the first page) and a refund dated inside the pages still to come.
      inserted++;
      await sql`insert into invoices (id, "appId", "customerId", source, status, amount, currency, "createdAt", "updatedAt")
        values (${`new_${page}`}, ${alpha.id}, 'a_c1', 'MANUAL', 'OPEN', 1, 'thb', now(), now())`.execute(db());
      await sql`insert into refunds (id, "invoiceId", amount, currency, status, "createdAt", "updatedAt")
        values (${`late_${page}`}, 'b_i000002', 1, 'thb', 'PENDING', '2025-12-31T00:00:00Z', now())`.execute(db());
    });
    const ids = seen.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sortedNewestFirst(seen)).toBe(true);
    expect(ids.filter((id) => id.startsWith('invoice_new_'))).toEqual([]);
    expect(ids.filter((id) => id.startsWith('refund_late_'))).toHaveLength(inserted);
    const original = ids.filter((id) => !id.includes('late_'));
    expect(original).toHaveLength(10_000 + 5_000 + 1_000);
    expect(original.filter((id) => id.startsWith('payment_'))).toHaveLength(5_000);
  }, 120_000);

  it("filters by app, kind, status, date range and mode (the objects' livemode)", async () => {
    const res = await get(
      '/api/v1/admin/transactions?app=beta&kind=refund&status=SUCCEEDED&from=2026-01-01T02:10:00Z&to=2026-01-01T02:20:00Z&limit=200',
      readOnly,
    );
    expect(res.status).toBe(200);
    expect(res.body.transactions.length).toBeGreaterThan(0);
    for (const t of res.body.transactions) {
      expect(t).toMatchObject({ app: 'beta', kind: 'refund', status: 'SUCCEEDED', livemode: false, amount: 100, currency: 'thb' });
      expect(t.createdAt >= '2026-01-01T02:10:00.000Z' && t.createdAt < '2026-01-01T02:20:00.000Z').toBe(true);
    }
    expect((await get('/api/v1/admin/transactions?mode=live', readOnly)).body).toEqual({ transactions: [], nextCursor: null });
    expect((await get('/api/v1/admin/transactions?mode=test&limit=1', readOnly)).body.transactions).toHaveLength(1);
    // One live refund (an app on its own account in live mode stores Stripe's livemode on every object).
    await sql`update refunds set livemode = true where id = 'b_r000010'`.execute(db());
    const live = (await get('/api/v1/admin/transactions?mode=live', readOnly)).body.transactions;
    expect(live.map((t: any) => [t.id, t.livemode])).toEqual([['refund_b_r000010', true]]);
    await sql`update refunds set livemode = false where id = 'b_r000010'`.execute(db());
  });

  it.each([
    ['an unknown parameter', '?appId=x', 422, 'VALIDATION_ERROR'],
    ['a bad limit', '?limit=0', 422, 'VALIDATION_ERROR'],
    ['a bad date', '?from=yesterday', 422, 'VALIDATION_ERROR'],
    ['a forged cursor', '?cursor=bm9wZQ', 422, 'VALIDATION_ERROR'],
    ['an unknown app', '?app=nope', 404, 'APP_NOT_FOUND'],
    ['an unknown mode', '?mode=prod', 422, 'VALIDATION_ERROR'],
  ])('refuses %s', async (_what, query, status, code) => {
    const res = await get(`/api/v1/admin/transactions${query}`, readOnly);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });
});

describe('GET /api/v1/admin/subscriptions', () => {
  it("pages both apps' 10,000 subscriptions exactly with inserts between pages, and filters by app, status and date", async () => {
    const seen = await pageThrough('/api/v1/admin/subscriptions?status=ACTIVE', 'subscriptions', async (page) => {
      await sql`insert into subscriptions (id, "appId", "customerId", "planId", "billingInterval", status, source, "currentPeriodStart", "currentPeriodEnd", "createdAt", "updatedAt")
        values (${`new_s${page}`}, ${beta.id}, 'b_c1', ${planId}, 'month', 'ACTIVE', 'MANUAL', now(), now() + interval '1 day', now(), now())`.execute(db());
    });
    const ids = seen.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sortedNewestFirst(seen)).toBe(true);
    expect(ids.filter((id) => !id.startsWith('new_'))).toHaveLength(7_500);
    const one = await get('/api/v1/admin/subscriptions?app=alpha&status=CANCELED&createdFrom=2026-01-01T00:00:00Z&createdTo=2026-01-01T00:00:10Z', readOnly);
    expect(one.body.subscriptions.map((s: any) => s.id)).toEqual(['a_s000028', 'a_s000024', 'a_s000020', 'a_s000016', 'a_s000012', 'a_s000008', 'a_s000004']);
    expect((await get('/api/v1/admin/subscriptions?mode=live', readOnly)).body.subscriptions).toEqual([]);
    await sql`update subscriptions set livemode = true where id = 'a_s000001'`.execute(db());
    expect((await get('/api/v1/admin/subscriptions?mode=live', readOnly)).body.subscriptions.map((s: any) => s.id)).toEqual(['a_s000001']);
    await sql`update subscriptions set livemode = false where id = 'a_s000001'`.execute(db());
  }, 120_000);
});

describe('GET /api/v1/admin/apps', () => {
  it('lists every app on the platform account with the last Stripe event received about it', async () => {
    await sql`update subscriptions set "stripeSubscriptionId" = 'sub_alpha1' where id = 'a_s000002'`.execute(db());
    await sql`insert into stripe_events (id, type, "objectId", payload, status, "stripeCreatedAt", "receivedAt")
      values ('evt_1', 'customer.subscription.updated', 'sub_alpha1', '{}', 'PROCESSED', now(), '2026-03-01T10:00:00Z')`.execute(db());
    const res = await get('/api/v1/admin/apps', readOnly);
    expect(res.body.apps.map((a: any) => [a.slug, a.payment])).toEqual([
      ['alpha', { account: 'platform', mode: 'test', keysValid: false, lastWebhookAt: '2026-03-01T10:00:00.000Z' }],
      ['beta', { account: 'platform', mode: 'test', keysValid: false, lastWebhookAt: null }],
    ]);
  });
});

describe('GET /api/v1/admin/stats', () => {
  it("equals the Dashboard's procedures, for every app and for one, this month and a past one", async () => {
    await rebuildMetrics(api.server.deps, TEST_ACTOR);
    const withoutAsOf = ({ asOf: _asOf, ...rest }: any) => rest;
    for (const [query, filter] of [
      ['?month=2026-01', { month: '2026-01' }],
      ['?app=beta&month=2026-01', { appId: beta.id, month: '2026-01' }],
      ['', {}],
      ['?app=beta', { appId: beta.id }],
    ] as const) {
      const stats = (await get(`/api/v1/admin/stats${query}`, readOnly)).body;
      const card = async (name: string) => (await admin.query(`admin.dashboard.${name}`, filter)).data;
      const same = query.includes('month') ? (x: any) => x : withoutAsOf;
      expect(same(stats.mrr)).toEqual(same(await card('mrr')));
      expect(same(stats.activeSubscriptions)).toEqual(same(await card('active')));
      expect(same(stats.churn)).toEqual(same(await card('churn')));
      expect(stats.revenue).toEqual(await card('revenue'));
    }
    const january = (await get('/api/v1/admin/stats?month=2026-01', readOnly)).body;
    expect(january.revenue.revenue.find((r: any) => r.currency === 'thb').gross).toBeGreaterThan(0);
    expect(january.activeSubscriptions.total).toBeGreaterThan(0);
  }, 60_000);
});
