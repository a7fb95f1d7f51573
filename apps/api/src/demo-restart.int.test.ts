import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInspectionClient } from '@aquoris/db/testing';
import { createFreshDatabase } from './testing/database.ts';
import { freePort } from './testing/index.ts';
import { API_ROOT, REPO_ROOT } from './testing/process.ts';
import { openSubscriber } from './testing/subscriber.ts';
import { waitFor } from './testing/wait.ts';

/**
 * `pnpm demo`, stopped and started again, keeps working data: the database and the Stripe emulator's
 * state persist together, so a paid subscriber still has its plan and Stripe still knows its subscription.
 * Runs scripts/demo.ts itself (after the build, as `pnpm demo` does), on private ports, database and data directory.
 */
let database: { url: string; drop(): Promise<void> };
let dataDir: string;
let env: Record<string, string>;
let base: string;
let stripeBase: string;

beforeAll(async () => {
  if (!existsSync(join(API_ROOT, 'dist/main.js')) || !existsSync(join(API_ROOT, 'dist/seed.js'))) {
    const build = spawnSync('pnpm', ['-s', 'run', 'build'], { cwd: API_ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building @aquoris/api failed:\n${build.stdout}\n${build.stderr}`);
  }
  database = await createFreshDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'aqb-demo-'));
  const [port, stripePort] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  stripeBase = `http://127.0.0.1:${stripePort}`;
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'development',
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `aqbd${randomBytes(4).toString('hex')}`,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ADMIN_SESSION_SECRET: randomBytes(32).toString('hex'),
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXT_PUBLIC_APP_URL: base,
    STRIPE_SECRET_KEY: 'sk_test_emulator',
    STRIPE_WEBHOOK_SECRET: 'whsec_aquoris_dev_emulator_secret',
    STRIPE_API_BASE: stripeBase,
    STRIPE_EMULATOR_DATA_DIR: dataDir,
    DEMO_INFO_FILE: join(dataDir, 'demo-info.txt'),
    STRIPE_EMULATOR_WEBHOOK_RETRY_BASE_MS: '50',
    LOG_LEVEL: 'warn',
  };
}, 240_000);
afterAll(async () => {
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function startDemo(args: string[] = []): Promise<{ child: ChildProcess; output: () => string; apiKey: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', ...args], { cwd: REPO_ROOT, env });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const apiKey = await waitFor(async () => /API key: (aqb_\S+)/.exec(out)?.[1] ?? (child.exitCode !== null ? Promise.reject(new Error(out)) : null), {
    timeoutMs: 180_000,
  });
  await waitFor(async () => (await fetch(`${base}/api/health`).catch(() => null))?.ok || null, { timeoutMs: 120_000 });
  return { child, output: () => out, apiKey };
}

async function stopDemo(demo: { child: ChildProcess }): Promise<void> {
  const exited = new Promise((resolve) => demo.child.on('exit', resolve));
  demo.child.kill('SIGINT');
  await exited;
  // Both servers are gone (nothing left to reuse by the next start).
  await waitFor(async () => ((await fetch(`${stripeBase}/__emulator/health`).catch(() => null)) ? null : true), { timeoutMs: 30_000 });
}

describe('pnpm demo, stopped and started again', () => {
  it('a paid subscriber still sees its plan, and Stripe still knows the subscription', async () => {
    const first = await startDemo();
    const prisma = createInspectionClient(database.url);
    const api = {
      baseUrl: base,
      prisma,
      request: (path: string, init: { method?: string; apiKey?: string; json?: unknown }) =>
        fetch(`${base}${path}`, {
          method: init.method ?? 'GET',
          headers: { authorization: `Bearer ${init.apiKey}`, 'content-type': 'application/json' },
          ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
        }),
    };
    const app = { apiKey: first.apiKey, slug: 'demo' };
    try {
      const sub = await openSubscriber(api as never, app, 'returning-user', { email: 'back@example.com' });
      const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
      const sessionId = /\/(cs_[A-Za-z0-9_]+)/.exec(created.url)![1];
      const paid = await fetch(`${stripeBase}/__emulator/checkout_sessions/${sessionId}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ card: '4242424242424242' }),
      });
      expect(paid.status).toBe(200);
      const eligibility = (apiKey = app.apiKey) =>
        api.request('/api/v1/customers/returning-user/subscription', { apiKey }).then((r) => r.json() as Promise<any>);
      await waitFor(async () => ((await eligibility()).base?.plan?.slug === 'pro' ? true : null), { timeoutMs: 60_000 });
      await stopDemo(first);
      // pnpm demo:info prints the banner again, key included.
      const info = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo-info.ts'], { cwd: REPO_ROOT, env, encoding: 'utf8' });
      expect(info.stdout).toContain(`API key: ${first.apiKey}`);

      const second = await startDemo();
      expect(second.apiKey).toBe(first.apiKey);
      expect((await eligibility()).base).toMatchObject({ status: 'ACTIVE', source: 'CHECKOUT', plan: { slug: 'pro' } });
      const again = await openSubscriber(api as never, app, 'returning-user');
      expect((await again.query('billing.subscription.get')).subscription).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' } });
      // Calls that reach Stripe's subscription: before the emulator kept its state, "No such subscription".
      expect((await again.mutate('billing.subscription.cancel')).cancelAtPeriodEnd).toBe(true);
      expect((await again.mutate('billing.subscription.resume')).cancelAtPeriodEnd).toBe(false);
      await stopDemo(second);

      // --reset: both sides empty again, in step.
      const fresh = await startDemo(['--reset']);
      expect((await eligibility(fresh.apiKey)).base ?? null).toBeNull();
      await stopDemo(fresh);
    } finally {
      await prisma.$disconnect();
    }
  }, 600_000);
});
