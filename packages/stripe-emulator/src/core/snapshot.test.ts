import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { createPlan, subscribeViaCheckout } from '../testing/factories.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { SNAPSHOT_FILE } from './snapshot.ts';

const dirs: string[] = [];
const harnesses: Harness[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stripe-emulator-state-'));
  dirs.push(dir);
  return dir;
}
async function start(options: { dataDir: string; reset?: boolean }): Promise<Harness> {
  const h = await startHarness(options);
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close().catch(() => {});
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('state under a data directory', () => {
  it('keeps customers, prices, subscriptions and the clock across a restart', async () => {
    const dir = dataDir();
    const first = await start({ dataDir: dir });
    const price = await createPlan(first.stripe, { unitAmount: 29900, currency: 'thb' });
    const { subscription } = await subscribeViaCheckout(first, price);
    first.advanceTo(first.emulator.ctx.clock.now() + 3600);
    const clockBefore = first.emulator.ctx.clock.now();
    await first.close();

    const second = await start({ dataDir: dir });
    const again = await second.stripe.subscriptions.retrieve(subscription.id);
    expect(again).toMatchObject({ id: subscription.id, status: 'active', customer: subscription.customer });
    expect((await second.stripe.prices.retrieve(price.id)).unit_amount).toBe(29900);
    expect((await second.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
    expect(second.emulator.ctx.clock.now()).toBeGreaterThanOrEqual(clockBefore);
    // New objects still get fresh ids next to the restored ones.
    const other = await createPlan(second.stripe);
    expect((await second.stripe.prices.list({ limit: 10 })).data.map((p) => p.id)).toEqual([other.id, price.id]);
  });

  it('is on disk before the answer, written atomically (no temporary file left behind)', async () => {
    const dir = dataDir();
    const h = await start({ dataDir: dir });
    const customer = await h.stripe.customers.create({ email: 'durable@example.com' });
    expect(readdirSync(dir)).toEqual([SNAPSHOT_FILE]);
    // A second emulator reading the same directory now (the first still running, as after a crash) sees it.
    const reader = await start({ dataDir: dir });
    expect((await reader.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ email: 'durable@example.com' });
  });

  it('still refuses an idempotency key reused with other parameters after a restart, like Stripe', async () => {
    const dir = dataDir();
    const first = await start({ dataDir: dir });
    await first.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'key-1' });
    await first.close();
    const second = await start({ dataDir: dir });
    await expect(second.stripe.customers.create({ email: 'b@example.com' }, { idempotencyKey: 'key-1' })).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
    });
  });

  it('reset (the option, and POST /__emulator/reset) starts empty and saves that', async () => {
    const dir = dataDir();
    const first = await start({ dataDir: dir });
    const customer = await first.stripe.customers.create({ email: 'gone@example.com' });
    await first.close();
    const reset = await start({ dataDir: dir, reset: true });
    await expect(reset.stripe.customers.retrieve(customer.id)).rejects.toMatchObject({ code: 'resource_missing' });
    const kept = await reset.stripe.customers.create({ email: 'kept@example.com' });
    expect((await reset.control('POST', '/reset')).status).toBe(200);
    await reset.close();
    const after = await start({ dataDir: dir });
    await expect(after.stripe.customers.retrieve(kept.id)).rejects.toMatchObject({ code: 'resource_missing' });
  });

  it('refuses a state file it cannot read instead of starting empty over it', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, SNAPSHOT_FILE), JSON.stringify({ version: 99 }));
    await expect(startHarness({ dataDir: dir })).rejects.toThrow(/--reset/);
  });
});

describe('the CLI (src/main.ts)', () => {
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  function run(dir: string, args: string[]): Promise<{ url: string; stop: () => Promise<string> }> {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      env: { PATH: process.env.PATH, STRIPE_EMULATOR_PORT: '0', STRIPE_EMULATOR_WEBHOOK_URL: 'none', STRIPE_EMULATOR_DATA_DIR: dir },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the emulator did not start:\n${out}`)), 60_000);
      child.stdout.on('data', () => {
        const url = /listening on (\S+)/.exec(out)?.[1];
        if (!url) return;
        clearTimeout(timer);
        resolve({ url, stop: async () => (child.kill('SIGTERM'), await exited, out) });
      });
      void exited.then(() => reject(new Error(`the emulator exited:\n${out}`)));
    });
  }
  const client = (url: string) => {
    const { hostname, port } = new URL(url);
    return new Stripe('sk_test_cli', { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0 });
  };

  it('STRIPE_EMULATOR_DATA_DIR keeps state across a restart; --reset starts empty', async () => {
    const dir = dataDir();
    const first = await run(dir, []);
    const customer = await client(first.url).customers.create({ email: 'cli@example.com' });
    expect(await first.stop()).toContain(`state in ${dir}`);
    const second = await run(dir, []);
    expect(((await client(second.url).customers.retrieve(customer.id)) as Stripe.Customer).email).toBe('cli@example.com');
    await second.stop();
    const third = await run(dir, ['--reset']);
    await expect(client(third.url).customers.retrieve(customer.id)).rejects.toMatchObject({ code: 'resource_missing' });
    await third.stop();
    expect(existsSync(join(dir, SNAPSHOT_FILE))).toBe(true);
  }, 120_000);
});
