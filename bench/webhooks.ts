/**
 * pnpm bench:webhooks — 5,000 signed Stripe events through the real endpoint
 * of the built API (one process) and one BullMQ worker (its own process, or
 * in the API's with BENCH_WORKER=inline) against the
 * Stripe emulator. Reports accepted events/s and end-to-end latency from
 * received (stripe_events.receivedAt, set as the endpoint stores the event) to
 * committed (processedAt, written in the transaction that applies it).
 * The mix is explained in docs/performance.md ("Webhooks"). Prints the figures as JSON at the end; sizes
 * and ports come from BENCH_* variables (bench/smoke.int.test.ts runs a tiny one).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createApp } from '@aquoris/core';
import { createDatabase, customers, plans } from '@aquoris/db';
import { createTestDatabase } from '@aquoris/db/testing';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { cpuSeconds, startLogged, stopProcess, benchDeps, BENCH_ACTOR } from './lib.ts';
import { EmulatorClient, signStripePayload } from './stripe-setup.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000);
const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 250);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** Unmeasured events of the measured mix sent first (after one per subscription). */
const WARM_UP_EVENTS = Number(process.env.BENCH_WARM_UP_EVENTS ?? 2_000);
/** Events/s to send at (0: as fast as the endpoint accepts them). */
const RATE = Number(process.env.BENCH_RATE ?? 0);
const API_PORT = Number(process.env.BENCH_API_PORT ?? 3913);
const EMULATOR_PORT = Number(process.env.BENCH_EMULATOR_PORT ?? 3914);
const SECRET = `whsec_bench_${randomBytes(8).toString('hex')}`;
const PREFIX = `aqbwh${randomBytes(3).toString('hex')}`;
/**
 * Where the worker runs. "separate" (the default): its own process (pnpm start:worker) beside the API.
 * "child": the API starts it as its child process, what `pnpm start` does by default (WORKER_CHILD_PROCESS).
 * "inline": in the API's process (WORKER_CHILD_PROCESS=false), sharing the endpoint's event loop.
 */
const WORKER_MODE = (process.env.BENCH_WORKER ?? 'separate') as 'separate' | 'child' | 'inline';
const SEPARATE_WORKER = WORKER_MODE === 'separate';

/** The worker the API forked (BENCH_WORKER=child), for its CPU account. */
function childPids(pid: number | undefined): number[] {
  if (!pid) return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

interface Subscribed {
  subscription: any;
  invoice: any;
}

async function seed(databaseUrl: string, stripe: EmulatorClient): Promise<Subscribed[]> {
  const database = createDatabase(databaseUrl);
  const deps = benchDeps(database);
  const { app } = await createApp(deps, BENCH_ACTOR, { slug: 'bench', name: 'Bench', returnUrl: 'https://bench.example.com' });
  const priceId = await stripe.createPrice('Aquoris PRO', 29900);
  await plans.insert(database.kysely, { slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month', stripePriceId: priceId });
  const out: Subscribed[] = [];
  for (let batch = 0; batch < SUBSCRIPTIONS; batch += 10) {
    const made = await Promise.all(
      Array.from({ length: Math.min(10, SUBSCRIPTIONS - batch) }, async (_, k) => {
        const customer = await customers.upsert(database.kysely, app.id, `user_${batch + k}`, {});
        const result = await stripe.subscribe(customer.id, app.id, priceId);
        await customers.setStripeCustomerId(database.kysely, customer.id, result.stripeCustomerId);
        return result;
      }),
    );
    out.push(...made);
  }
  await database.close();
  return out;
}

/** 90% customer.subscription.updated, 10% invoice.paid, spread over the subscriptions (about 20 events each). */
function buildEvents(subs: Subscribed[], count: number, label: string, apiVersion: string): Array<{ id: string; body: string }> {
  const created = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const sub = subs[i % subs.length]!;
    const invoicePaid = i % 10 === 9;
    const id = `evt_${label}_${i}_${randomBytes(4).toString('hex')}`;
    const event = {
      id,
      object: 'event',
      api_version: apiVersion,
      created,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: invoicePaid ? 'invoice.paid' : 'customer.subscription.updated',
      data: { object: invoicePaid ? sub.invoice : sub.subscription },
    };
    return { id, body: JSON.stringify(event) };
  });
}

/** The bench's own measurement queries, on one plain connection (they are not the service's). */
async function withClient<T>(databaseUrl: string, fn: (query: <R>(text: string) => Promise<R[]>) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(async <R>(text: string) => (await client.query(text)).rows as R[]);
  } finally {
    await client.end();
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

/** One POST over a keep-alive socket (node:http: the client should not cost more CPU than the server it measures). */
function post(body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: '127.0.0.1',
        port: API_PORT,
        path: '/api/v1/webhooks/stripe',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'stripe-signature': signature },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** All events over CONNECTIONS connections, as fast as they are accepted, or paced at BENCH_RATE events/s. */
async function push(events: Array<{ id: string; body: string }>, rate: number): Promise<{ seconds: number; failures: number }> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < events.length) {
        const index = next++;
        const event = events[index]!;
        if (rate) {
          const due = started + (index * 1000) / rate - performance.now();
          if (due > 0) await new Promise((r) => setTimeout(r, due));
        }
        if ((await post(event.body, signStripePayload(event.body, SECRET))) !== 200) failures++;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, failures };
}

async function waitProcessed(databaseUrl: string): Promise<{ p50: number; p99: number; max: number; processed: number; perSecond: number }> {
  const started = Date.now();
  const measured = `id LIKE 'evt\\_bench\\_%'`;
  return withClient(databaseUrl, async (query) => {
    for (;;) {
      const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE status = 'PROCESSED' AND ${measured}`);
      if (row!.n >= EVENTS || Date.now() - started > 180_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const [stats] = await query<{ p50: number; p99: number; max: number; processed: number; seconds: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max,
                      count(*)::int AS processed, extract(epoch FROM max(done) - min(received)) AS seconds
               FROM (SELECT extract(epoch FROM ("processedAt" - "receivedAt")) * 1000 AS ms, "processedAt" AS done, "receivedAt" AS received
                     FROM stripe_events WHERE status = 'PROCESSED' AND ${measured}) t`,
    );
    return { ...stats!, perSecond: Math.round(stats!.processed / stats!.seconds) };
  });
}

/**
 * The processes whose CPU an event costs: ours, the emulator, PostgreSQL (this database's backends and the
 * WAL writer) and Redis. CPU time moves far less with outside load than latency does, so it is the figure
 * to compare changes by.
 */
async function cpuAccounts(databaseUrl: string, redisUrl: string, ours: Record<string, ChildProcess | undefined>): Promise<Record<string, number[]>> {
  const redis = new Redis(redisUrl);
  try {
    const backends = await withClient(databaseUrl, (query) =>
      query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR backend_type IN ('walwriter', 'background writer', 'checkpointer')`,
      ),
    );
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
    const accounts: Record<string, number[]> = {};
    for (const [name, child] of Object.entries(ours)) if (child?.pid) accounts[name] = [child.pid];
    accounts.postgresql = backends.map((b) => b.pid);
    if (redisPid) accounts.redis = [redisPid];
    return accounts;
  } finally {
    await redis.quit();
  }
}

function cpuOf(accounts: Record<string, number[]>): Record<string, number> {
  const totals: Record<string, number> = { 'bench client': process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
  for (const [name, pids] of Object.entries(accounts)) totals[name] = pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  return totals;
}

function cpuPerEvent(before: Record<string, number>, after: Record<string, number>, events: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, Math.round((((after[name] ?? 0) - (before[name] ?? 0)) * 1e5) / events) / 100]));
}

function cpuTable(before: Record<string, number>, after: Record<string, number>, events: number): string {
  const rows = Object.entries(cpuPerEvent(before, after, events));
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  return [
    '| process | CPU ms per event |',
    '|---|---:|',
    ...rows.map(([name, ms]) => `| ${name} | ${ms.toFixed(2)} |`),
    `| total | ${total.toFixed(2)} |`,
  ].join('\n');
}

async function waitAllProcessed(databaseUrl: string, count: number): Promise<void> {
  await withClient(databaseUrl, async (query) => {
    for (let i = 0; i < 1_200; i++) {
      const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE status = 'PROCESSED'`);
      if (row!.n >= count) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('warm-up events were not processed');
  });
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const stripe = new EmulatorClient(`http://127.0.0.1:${EMULATOR_PORT}`);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let emulator: ChildProcess | undefined;
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  try {
    emulator = await startLogged(
      'emulator',
      ['--import', 'tsx', 'packages/stripe-emulator/src/main.ts'],
      { STRIPE_EMULATOR_PORT: String(EMULATOR_PORT), STRIPE_EMULATOR_WEBHOOK_URL: 'none' },
      stripe.base + '/__emulator/health',
    );
    console.log(`Creating ${SUBSCRIPTIONS} paid subscriptions in the emulator…`);
    const subs = await seed(database.url, stripe);
    const apiVersion = stripe.apiVersion;
    if (!apiVersion) throw new Error('the emulator sent no Stripe-Version header');
    const events = buildEvents(subs, EVENTS, 'bench', apiVersion);
    const warmUp = buildEvents(subs, subs.length, 'warmup', apiVersion);
    const warmUpSteady = buildEvents(subs, WARM_UP_EVENTS, 'warmsteady', apiVersion);
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      SESSION_SECRET: SECRET.padEnd(40, 'x'),
      ADMIN_SESSION_SECRET: SECRET.padEnd(40, 'y'),
      API_KEY_ENCRYPTION_SECRET: SECRET.padEnd(40, 'z'),
      STRIPE_CONFIG_ENCRYPTION_KEY: SECRET.padEnd(40, 's'),
      STRIPE_SECRET_KEY: 'sk_test_emulator',
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_BASE: stripe.base,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: PREFIX,
      PORT: String(API_PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WORKER_IN_PROCESS: String(!SEPARATE_WORKER),
      WORKER_CHILD_PROCESS: String(WORKER_MODE === 'child'),
      WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '8',
      DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10',
    };
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    api = await startLogged('api', [...nodeArgs, 'apps/api/dist/main.js'], env, `http://127.0.0.1:${API_PORT}/api/health`);
    if (SEPARATE_WORKER) worker = await startLogged('worker', [...nodeArgs, 'apps/api/dist/worker.js'], env, `http://127.0.0.1:${API_PORT}/api/health`);
    // Not measured: one event per subscription first, which records it (a subscription is created once in its life).
    console.log(`Warm-up: ${warmUp.length} events (one per subscription)…`);
    await push(warmUp, 0);
    await waitAllProcessed(database.url, warmUp.length);
    // Then the mix itself, so that the processes measured are past their JIT compilation (a young process spends
    // a seventh of its CPU compiling), as a server that has been running is.
    console.log(`Warm-up: ${WARM_UP_EVENTS} events of the measured mix…`);
    await push(warmUpSteady, 0);
    await waitAllProcessed(database.url, warmUp.length + warmUpSteady.length);
    console.log(
      `Pushing ${EVENTS} signed events over ${CONNECTIONS} connections${RATE ? ` at ${RATE}/s` : ' as fast as accepted'}, worker ${WORKER_MODE === 'inline' ? 'in the API process' : WORKER_MODE === 'child' ? 'a child process of the API' : 'in its own process'}…`,
    );
    // Change a fifth of the subscriptions in Stripe now, after the warm-up recorded them: the first measured event
    // about each re-reads a state that differs from ours and writes it (the locked path).
    for (const sub of subs.filter((_, i) => i % 5 === 0))
      await stripe.call('POST', `/v1/subscriptions/${sub.subscription.id}`, { cancel_at_period_end: 'true' });
    const accounts = await cpuAccounts(database.url, redisUrl, { api, worker, emulator });
    if (WORKER_MODE === 'child') accounts.worker = childPids(api.pid);
    const cpuBefore = cpuOf(accounts);
    const pushed = await push(events, RATE);
    const result = await waitProcessed(database.url);
    const cpuAfter = cpuOf(accounts);
    const rate = Math.round(EVENTS / pushed.seconds);
    console.log(`
| metric | value | target |
|---|---:|---:|
| events accepted (200) | ${EVENTS - pushed.failures} / ${EVENTS} | all |
| accepted events/s | ${rate} | ≥ 500 |
| processed (committed) | ${result.processed} | ${EVENTS} |
| processed events/s (first received → last committed) | ${result.perSecond} | |
| received → committed p50 | ${Math.round(result.p50)} ms | |
| received → committed p99 | ${Math.round(result.p99)} ms | < 1000 ms |
| received → committed max | ${Math.round(result.max)} ms | |

${cpuTable(cpuBefore, cpuAfter, EVENTS)}
`);
    const summary = {
      worker: WORKER_MODE,
      events: EVENTS,
      subscriptions: SUBSCRIPTIONS,
      connections: CONNECTIONS,
      accepted: EVENTS - pushed.failures,
      acceptedPerSecond: rate,
      processed: result.processed,
      processedPerSecond: result.perSecond,
      p50Ms: Math.round(result.p50),
      p99Ms: Math.round(result.p99),
      maxMs: Math.round(result.max),
      cpuMsPerEvent: cpuPerEvent(cpuBefore, cpuAfter, EVENTS),
      targets: { acceptedPerSecond: 500, p99Ms: 1000 },
      met: pushed.failures === 0 && result.processed >= EVENTS && rate >= 500 && result.p99 < 1000,
    };
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    if (worker) await stopProcess(worker);
    if (api) await stopProcess(api);
    if (emulator) await stopProcess(emulator);
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    if (process.env.BENCH_KEEP_DB) console.log(`Kept database ${database.url}`);
    else await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
