/**
 * pnpm bench:eligibility — GET /api/v1/customers/:id/subscription under load,
 * against a bare node:http server in the same run as the ceiling. Each side
 * is one Node process; autocannon runs in this process.
 */
import { randomBytes } from 'node:crypto';
import { createApp, systemClock, silentLogger, type SystemActor } from '@aquoris/core';
import { createDatabase } from '@aquoris/db';
import { createTestDatabase } from '@aquoris/db/testing';
import { Redis } from 'ioredis';
import { drive, startLogged, stopProcess, table, type LoadResult } from './lib.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const API_PORT = 3911;
const BARE_PORT = 3912;

async function seed(databaseUrl: string): Promise<{ apiKey: string }> {
  const database = createDatabase(databaseUrl);
  const db = database.prisma;
  const secret = randomBytes(32).toString('hex');
  const deps = {
    db: database,
    clock: systemClock,
    log: silentLogger,
    config: { publicUrl: 'http://127.0.0.1', sessionSecret: secret, adminSessionSecret: secret, apiKeyEncryptionSecret: secret },
  };
  const actor: SystemActor = { type: 'system', name: 'bench' };
  const { app, apiKey } = await createApp(deps, actor, { slug: 'bench', name: 'Bench', returnUrl: 'https://bench.example.com', rateLimitPerMinute: 1_000_000 });
  const [pro, team] = await Promise.all([
    db.plan.create({ data: { slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month' } }),
    db.plan.create({ data: { slug: 'team', name: 'Aquoris Team', priceAmount: 99900, currency: 'thb', interval: 'year' } }),
  ]);
  await db.$executeRawUnsafe(
    `INSERT INTO customers (id, "appId", "externalUserId", email, "createdAt", "updatedAt")
     SELECT 'bc_' || g, $1, 'user_' || g, 'user' || g || '@example.com', now(), now() FROM generate_series(1, $2::int) g`,
    app.id,
    CUSTOMERS,
  );
  // Every customer has a subscription: mostly ACTIVE, some TRIALING, PAST_DUE, CANCELED, and lapsed manual ones.
  await db.$executeRawUnsafe(
    `INSERT INTO subscriptions (id, "appId", "customerId", "planId", status, source, kind, "currentPeriodStart", "currentPeriodEnd", "cancelAtPeriodEnd", "createdAt", "updatedAt")
     SELECT 'bs_' || g, $1, 'bc_' || g, CASE WHEN g % 3 = 0 THEN $3 ELSE $2 END,
       (CASE WHEN g % 10 < 7 THEN 'ACTIVE' WHEN g % 10 = 7 THEN 'TRIALING' WHEN g % 10 = 8 THEN 'PAST_DUE' ELSE 'CANCELED' END)::"SubscriptionStatus",
       (CASE WHEN g % 20 = 0 THEN 'MANUAL' ELSE 'CHECKOUT' END)::"SubscriptionSource", 'BASE',
       now() - interval '10 days', now() + (CASE WHEN g % 40 = 0 THEN interval '-1 day' ELSE interval '20 days' END), g % 11 = 0, now(), now()
     FROM generate_series(1, $4::int) g`,
    app.id,
    pro.id,
    team.id,
    CUSTOMERS,
  );
  await db.$executeRawUnsafe('ANALYZE');
  await database.close();
  return { apiKey };
}

async function resetRateLimitCounts(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const keys = await redis.keys(`${prefix}:rl:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

async function main(): Promise<void> {
  console.log(`Seeding ${CUSTOMERS.toLocaleString()} customers with subscriptions…`);
  const database = await createTestDatabase();
  const started = Date.now();
  const { apiKey } = await seed(database.url);
  console.log(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const secret = randomBytes(32).toString('hex');
  const redisPrefix = `aqbbench${randomBytes(3).toString('hex')}`;
  const api = await startLogged(
    'eligibility-api',
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'apps/api/dist/main.js'],
    {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      SESSION_SECRET: secret,
      ADMIN_SESSION_SECRET: secret,
      STRIPE_SECRET_KEY: 'sk_test_bench',
      STRIPE_WEBHOOK_SECRET: 'whsec_bench',
      PORT: String(API_PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10',
      REDIS_KEY_PREFIX: redisPrefix,
    },
    `http://127.0.0.1:${API_PORT}/api/health`,
  );
  const headers = { authorization: `Bearer ${apiKey}` };
  const randomUser = () => `/api/v1/customers/user_${1 + Math.floor(Math.random() * CUSTOMERS)}/subscription`;
  const apiUrl = `http://127.0.0.1:${API_PORT}`;

  const sample = await fetch(`${apiUrl}/api/v1/customers/user_1/subscription`, { headers });
  const body = await sample.text();
  if (sample.status !== 200) throw new Error(`eligibility answered ${sample.status}: ${body}`);
  console.log(`Eligibility body (${Buffer.byteLength(body)} bytes): ${body}`);
  const bare = await startLogged(
    'bare',
    ['--import', 'tsx', 'bench/bare-server.ts'],
    { PORT: String(BARE_PORT), BARE_BODY: body },
    `http://127.0.0.1:${BARE_PORT}/`,
  );

  const results: LoadResult[] = [];
  try {
    await drive('warm-up', apiUrl, 8, 3, randomUser, headers);
    for (const connections of [32, 8]) {
      results.push(await drive('bare node:http', `http://127.0.0.1:${BARE_PORT}`, connections, SECONDS, () => '/', {}, bare));
      // The app's limit is the highest allowed (1,000,000/min), and a fast host serves more than that in a minute
      // across phases: each phase starts with a fresh count, so it measures serving, not the limiter's refusals.
      await resetRateLimitCounts(redisPrefix);
      results.push(await drive('eligibility', apiUrl, connections, SECONDS, randomUser, headers, api));
    }
  } finally {
    await stopProcess(api);
    await stopProcess(bare);
    if (process.env.BENCH_KEEP_DB) console.log(`Kept database ${database.url} (API key ${apiKey})`);
    else await database.drop();
  }

  console.log(`\n${table(results)}\n`);
  const at = (label: string, c: number) => results.find((r) => r.label === label && r.connections === c)!;
  const ratio = at('eligibility', 32).rps / at('bare node:http', 32).rps;
  const p99 = at('eligibility', 8).p99;
  console.log(`Throughput ratio at 32 connections: ${(ratio * 100).toFixed(1)}% of bare (target ≥ 50%)`);
  console.log(`Eligibility p99 at 8 connections: ${p99} ms (target < 10 ms)`);
  const cpu = (label: string) => at(label, 32).cpuUsPerRequest;
  if (cpu('eligibility') && cpu('bare node:http'))
    console.log(
      `CPU per request at 32 connections: ${cpu('eligibility')} µs against ${cpu('bare node:http')} µs bare (${((cpu('bare node:http')! / cpu('eligibility')!) * 100).toFixed(1)}%: the throughput ratio the code would reach with a core to itself)`,
    );
  const failures = results.filter((r) => r.non2xx || r.errors);
  if (failures.length) console.log(`WARNING: non-2xx or errors in: ${failures.map((f) => `${f.label}@${f.connections}`).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
