import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { runCli } from '../testing/cli.ts';
import { spawnTs } from '../testing/process.ts';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const cli = (...args: string[]) => runCli(api, args);

describe('operator CLI', () => {
  it('apps:create prints the app with its apiKey, which works against the API', async () => {
    const { code, json } = await cli(
      'apps:create',
      '--slug',
      'vega',
      '--name',
      'Vega',
      '--return-url',
      'https://vega.aquoris.ai/settings',
      '--rate-limit',
      '250',
    );
    expect(code).toBe(0);
    expect(json).toMatchObject({
      slug: 'vega',
      name: 'Vega',
      returnUrl: 'https://vega.aquoris.ai/settings',
      rateLimitPerMinute: 250,
      apiKey: expect.stringMatching(/^aqb_/),
    });
    expect((await api.request('/api/v1/plans', { apiKey: json.apiKey })).status).toBe(200);

    const defaults = await cli('apps:create', '--slug', 'vega-two', '--name', 'Vega 2', '--return-url', 'https://two.example.com');
    expect(defaults.json.rateLimitPerMinute).toBe(100);
  });

  it('apps:origins adds and removes allowed origins (audited as the CLI) and refuses a bad entry by name', async () => {
    await cli('apps:create', '--slug', 'origins-cli', '--name', 'O', '--return-url', 'https://o.example.com/x');
    const added = await cli('apps:origins', '--app', 'origins-cli', '--add', 'https://*.o.example.com,https://partner.example');
    expect(added.code).toBe(0);
    expect(added.json).toEqual({ slug: 'origins-cli', allowedOrigins: ['https://o.example.com', 'https://*.o.example.com', 'https://partner.example'] });
    const removed = await cli('apps:origins', '--app', 'origins-cli', '--remove', 'https://partner.example');
    expect(removed.json.allowedOrigins).toEqual(['https://o.example.com', 'https://*.o.example.com']);
    const bad = await cli('apps:origins', '--app', 'origins-cli', '--add', 'https://a.*.example.com');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('leftmost label');
    const audits = await api.prisma.auditLog.findMany({ where: { action: 'app.allowed_origins_changed' } });
    expect(audits.map((a) => a.actorType)).toEqual(['CLI', 'CLI']);
  });

  it('apps:rotate-key issues a new key and the old one stops working at once, even on a running API', async () => {
    const created = await cli('apps:create', '--slug', 'rotating', '--name', 'R', '--return-url', 'https://r.example.com');
    expect((await api.request('/api/v1/plans', { apiKey: created.json.apiKey })).status).toBe(200); // now cached by the API
    const rotated = await cli('apps:rotate-key', '--slug', 'rotating');
    expect(rotated.code).toBe(0);
    expect(rotated.json.apiKey).not.toBe(created.json.apiKey);
    await new Promise((r) => setTimeout(r, 100));
    expect((await api.request('/api/v1/plans', { apiKey: created.json.apiKey })).status).toBe(401);
    expect((await api.request('/api/v1/plans', { apiKey: rotated.json.apiKey })).status).toBe(200);
  });

  it('plans:create, with --inactive, and the public list follows', async () => {
    const pro = await cli(
      'plans:create',
      '--slug',
      'pro',
      '--name',
      'Aquoris PRO',
      '--price-amount',
      '29900',
      '--currency',
      'thb',
      '--interval',
      'month',
      '--trial-days',
      '7',
      '--stripe-price-id',
      'price_123',
    );
    expect(pro.code).toBe(0);
    expect(pro.json).toMatchObject({
      slug: 'pro',
      priceAmount: 29900,
      currency: 'thb',
      interval: 'month',
      trialDays: 7,
      stripePriceId: 'price_123',
      active: true,
    });
    const hidden = await cli(
      'plans:create',
      '--slug',
      'old',
      '--name',
      'Old',
      '--price-amount',
      '100',
      '--currency',
      'usd',
      '--interval',
      'year',
      '--inactive',
    );
    expect(hidden.json.active).toBe(false);
  });

  it('subscriptions:grant creates a MANUAL subscription the eligibility endpoint shows', async () => {
    const app = await cli('apps:create', '--slug', 'granted-app', '--name', 'G', '--return-url', 'https://g.example.com');
    await cli(
      'plans:create',
      '--slug',
      'team',
      '--name',
      'Team',
      '--price-amount',
      '99900',
      '--currency',
      'usd',
      '--interval',
      'year',
      '--stripe-price-id',
      'price_team',
    );
    const grant = await cli('subscriptions:grant', '--app', 'granted-app', '--user', 'user-42', '--plan', 'team', '--days', '14');
    expect(grant.code).toBe(0);
    expect(grant.json).toMatchObject({ app: 'granted-app', externalUserId: 'user-42', plan: 'team', status: 'ACTIVE', source: 'MANUAL' });
    const res = await api.request('/api/v1/customers/user-42/subscription', { apiKey: app.json.apiKey });
    expect(((await res.json()) as any).base).toMatchObject({ status: 'ACTIVE', source: 'MANUAL', plan: { slug: 'team', interval: 'year' } });
  });

  it('admins:create hashes the password and writes the audit log', async () => {
    const { code, json } = await cli('admins:create', '--email', 'Ops@Example.com', '--password', 'correct horse battery', '--name', 'Ops');
    expect(code).toBe(0);
    expect(json).toEqual({
      id: expect.any(String),
      email: 'ops@example.com',
      name: 'Ops',
      role: 'ADMIN',
      active: true,
      lastLoginAt: null,
      createdAt: expect.any(String),
    });
    const admin = await api.prisma.admin.findUniqueOrThrow({ where: { email: 'ops@example.com' } });
    expect(admin.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    const audit = await api.prisma.auditLog.findFirstOrThrow({ where: { action: 'admin.created' } });
    expect(audit).toMatchObject({ actorType: 'CLI', targetId: admin.id });
    expect(JSON.stringify(audit.details)).not.toContain('correct horse');
  });

  it.concurrent.each([
    [['apps:create', '--slug', 'x', '--name', 'X', '--return-url', 'ftp://x.example.com'], 'VALIDATION_ERROR', 'returnUrl'],
    [['apps:create', '--slug', 'vega', '--name', 'Again', '--return-url', 'https://v.example.com'], 'APP_ALREADY_EXISTS', 'already exists'],
    [['apps:create', '--slug', 'x'], 'VALIDATION_ERROR', 'Missing --name, --return-url'],
    [['apps:create', '--slug', 'x', '--name', 'X', '--return-url', 'https://x.example.com', '--bogus', '1'], 'VALIDATION_ERROR', 'bogus'],
    [['apps:rotate-key', '--slug', 'nope'], 'APP_NOT_FOUND', 'nope'],
    [['plans:create', '--slug', 'p', '--name', 'P', '--price-amount', '12.5', '--currency', 'thb', '--interval', 'month'], 'VALIDATION_ERROR', 'priceAmount'],
    [['plans:create', '--slug', 'p', '--name', 'P', '--price-amount', '100', '--currency', 'eur', '--interval', 'month'], 'VALIDATION_ERROR', 'currency'],
    [['admins:create', '--email', 'a@example.com', '--password', 'x'.repeat(73), '--name', 'A'], 'VALIDATION_ERROR', '72'],
    [['admins:create', '--email', 'not-an-email', '--password', 'long enough pw', '--name', 'A'], 'VALIDATION_ERROR', 'email'],
    [['subscriptions:grant', '--app', 'vega', '--user', 'u', '--plan', 'nope', '--days', '3'], 'PLAN_NOT_FOUND', 'nope'],
    [['subscriptions:grant', '--app', 'vega', '--user', 'u', '--plan', 'pro', '--days', '0'], 'VALIDATION_ERROR', 'days'],
    [['no-such-command'], 'VALIDATION_ERROR', 'Unknown command'],
    [['toString'], 'VALIDATION_ERROR', 'Unknown command'],
    [[], 'VALIDATION_ERROR', 'No command given'],
    [['help', 'no-such-command'], 'VALIDATION_ERROR', 'Unknown command "no-such-command"'],
  ])('%j fails with %s', async (args, code, message) => {
    const result = await cli(...args);
    expect(result.code).toBe(1);
    expect(result.json.error.code).toBe(code);
    expect(result.json.error.message).toContain(message);
    expect(result.stderr).toContain(message);
  });
});

describe('pnpm aqb help', () => {
  it.each([['help'], ['--help']])('%s prints the commands as one JSON object and exits 0', async (arg) => {
    const { code, json } = await cli(arg);
    expect(code).toBe(0);
    const names = json.commands.map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(['apps:create', 'apps:rotate-key', 'plans:create', 'admins:create', 'subscriptions:grant']));
    for (const command of json.commands) {
      expect(command).toEqual({ name: expect.any(String), usage: expect.stringContaining(`pnpm aqb ${command.name}`), description: expect.any(String) });
    }
    expect(json.commands.find((c: { name: string }) => c.name === 'apps:create').usage).toContain('--slug SLUG');
  });

  it('help for one command, as "help <command>" or "<command> --help"', async () => {
    for (const args of [
      ['help', 'apps:create'],
      ['apps:create', '--help'],
    ]) {
      const { code, json } = await cli(...args);
      expect(code).toBe(0);
      expect(json.commands).toEqual([{ name: 'apps:create', usage: expect.stringContaining('--return-url URL'), description: expect.any(String) }]);
    }
  });

  it('no command: an error object on stdout, the usage on stderr, exit 1', async () => {
    const { code, json, stderr } = await cli();
    expect(code).toBe(1);
    expect(json).toEqual({ error: { code: 'VALIDATION_ERROR', message: expect.stringContaining('pnpm aqb help') } });
    expect(stderr).toContain('apps:create');
  });
});

describe('pnpm db:seed', () => {
  it('is idempotent: one admin, the same demo key, free and pro plans, pro monthly and yearly', async () => {
    const env = {
      DATABASE_URL: api.databaseUrl,
      SESSION_SECRET: api.env.SESSION_SECRET,
      ADMIN_SESSION_SECRET: api.env.ADMIN_SESSION_SECRET,
      REDIS_KEY_PREFIX: api.env.REDIS_KEY_PREFIX,
      NODE_ENV: 'test',
      SEED_ADMIN_EMAIL: 'seed-admin@example.com',
      SEED_ADMIN_PASSWORD: 'seed password 1',
      SEED_APP_SLUG: 'seeded-demo',
    };
    const first = spawnTs('src/cli/seed.ts', [], env);
    expect(await first.exited).toBe(0);
    const second = spawnTs('src/cli/seed.ts', [], { ...env, SEED_ADMIN_PASSWORD: 'a different password' });
    expect(await second.exited).toBe(0);
    const a = JSON.parse(first.stdout());
    const b = JSON.parse(second.stdout());
    expect(a.admin).toEqual({ created: true, email: 'seed-admin@example.com' });
    expect(b.admin).toEqual({ created: false, email: 'seed-admin@example.com' });
    expect(b.app).toEqual({ ...a.app, created: false });
    expect((await api.request('/api/v1/customers/x/subscription', { apiKey: a.app.apiKey })).status).toBe(200);
    const db = api.prisma;
    expect(await db.admin.count({ where: { email: 'seed-admin@example.com' } })).toBe(1);
    const admin = await db.admin.findUniqueOrThrow({ where: { email: 'seed-admin@example.com' } });
    const bcrypt = await import('bcryptjs');
    expect(await bcrypt.compare('seed password 1', admin.passwordHash)).toBe(true); // never reset by a re-run
    expect((await db.plan.findMany({ where: { slug: { in: ['free', 'pro'] } } })).length).toBe(2);
    const proPrices = await db.planPrice.findMany({ where: { plan: { slug: 'pro' } }, orderBy: { interval: 'asc' } });
    expect(proPrices.map((p) => [p.interval, p.amount, p.currency])).toEqual([
      ['month', 29900, 'thb'],
      ['year', 299000, 'thb'],
    ]);
  });
});
