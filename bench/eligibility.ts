/**
 * pnpm bench:eligibility — GET /api/v1/customers/:id/subscription under load,
 * against a bare node:http server in the same run as the ceiling. Each side
 * is one Node process. The load comes from wrk when it is installed (Debian's
 * `wrk` package), else from autocannon in this process, which saturates
 * before the server does (so its ratios read high). Half the users have a
 * subscription, half have none. Prints the figures as JSON at the end.
 * Sizes and ports come from BENCH_* variables (bench/smoke.int.test.ts runs a tiny one).
 * The API gets a private redis-server, which the last phases stop: eligibility
 * with Redis down, against the phases with it up in the same run.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '@aquoris/core';
import { createDatabase, plans } from '@aquoris/db';
import { createTestDatabase, seedSubscribedCustomers } from '@aquoris/db/testing';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { startPrivateRedis } from '../apps/api/src/testing/redis-server.ts';
import { drive, driveWrk, startLogged, stopProcess, table, wrkPath, type LoadResult, benchDeps, BENCH_ACTOR } from './lib.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** The users the load asks about (user_1..user_N of the seeded customers): half with a subscription, half without. */
const USERS = Math.min(CUSTOMERS, Number(process.env.BENCH_USERS ?? 20_000));
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
const API_PORT = Number(process.env.BENCH_API_PORT ?? 3911);
const BARE_PORT = Number(process.env.BENCH_BARE_PORT ?? 3912);
/** The phases with the API's Redis stopped: their throughput is compared with the 'eligibility' phases'. */
const REDIS_DOWN = 'eligibility, Redis down';

async function seed(databaseUrl: string): Promise<{ apiKey: string }> {
  const database = createDatabase(databaseUrl);
  const deps = benchDeps(database);
  const { app, apiKey } = await createApp(deps, BENCH_ACTOR, {
    slug: 'bench',
    name: 'Bench',
    returnUrl: 'https://bench.example.com',
    rateLimitPerMinute: 1_000_000,
  });
  const [pro, team] = await Promise.all([
    plans.insert(database.kysely, { slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month' }),
    plans.insert(database.kysely, { slug: 'team', name: 'Aquoris Team', priceAmount: 99900, currency: 'thb', interval: 'year' }),
  ]);
  await seedSubscribedCustomers(database.kysely, { appId: app.id, planIds: [pro.id, team.id], count: CUSTOMERS });
  await database.close();
  return { apiKey };
}

async function readEveryUser(apiUrl: string, headers: Record<string, string>): Promise<void> {
  let next = 1;
  const worker = async () => {
    for (let user = next++; user <= USERS; user = next++) {
      const res = await fetch(`${apiUrl}/api/v1/customers/user_${user}/subscription`, { headers });
      if (res.status !== 200) throw new Error(`user_${user}: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function resetRateLimitCounts(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
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
  const redis = await startPrivateRedis();
  const api = await startLogged(
    'eligibility-api',
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'apps/api/dist/main.js'],
    {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      SESSION_SECRET: secret,
      ADMIN_SESSION_SECRET: secret,
      API_KEY_ENCRYPTION_SECRET: randomBytes(32).toString('hex'),
      STRIPE_CONFIG_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      STRIPE_SECRET_KEY: 'sk_test_bench',
      STRIPE_WEBHOOK_SECRET: 'whsec_bench',
      PORT: String(API_PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10',
      REDIS_KEY_PREFIX: redisPrefix,
      REDIS_URL: redis.url,
    },
    `http://127.0.0.1:${API_PORT}/api/health`,
  );
  const headers = { authorization: `Bearer ${apiKey}` };
  const randomUser = () => `/api/v1/customers/user_${1 + Math.floor(Math.random() * USERS)}/subscription`;
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

  const wrk = wrkPath();
  const generator = wrk ? 'wrk' : 'autocannon';
  console.log(`Load generator: ${wrk ?? 'autocannon (wrk is not installed)'}`);
  const load = (label: string, url: string, connections: number, seconds: number, users: boolean, server?: ChildProcess) =>
    wrk
      ? driveWrk(
          wrk,
          label,
          url,
          connections,
          seconds,
          users ? { prefix: '/api/v1/customers/user_', count: USERS, suffix: '/subscription' } : null,
          users ? headers : {},
          server,
        )
      : drive(label, url, connections, seconds, users ? randomUser : () => '/', users ? headers : {}, server);

  const results: LoadResult[] = [];
  try {
    // The cache warms from the database with the subscribed users; the others are read once here, so every
    // phase measures the steady state (each answer in memory) for both kinds of user.
    await readEveryUser(apiUrl, headers);
    await load('warm-up', apiUrl, 8, WARM_UP_SECONDS, true);
    for (const connections of [32, 8]) {
      results.push(await load('bare node:http', `http://127.0.0.1:${BARE_PORT}`, connections, SECONDS, false, bare));
      // The app's limit is the highest allowed (1,000,000/min), and a fast host serves more than that in a minute
      // across phases: each phase starts with a fresh count, so it measures serving, not the limiter's refusals.
      await resetRateLimitCounts(redis.url, redisPrefix);
      results.push(await load('eligibility', apiUrl, connections, SECONDS, true, api));
    }
    // Redis stopped, measured from the moment it stops: the limiter's circuit opens and limits are counted in
    // memory (docs/operations.md). Fresh counts first, so that the phase needs new leases at once.
    await resetRateLimitCounts(redis.url, redisPrefix);
    await redis.stop();
    for (const connections of [32, 8]) results.push(await load(REDIS_DOWN, apiUrl, connections, SECONDS, true, api));
  } finally {
    await stopProcess(api);
    await stopProcess(bare);
    await redis.stop();
    if (process.env.BENCH_KEEP_DB) console.log(`Kept database ${database.url} (API key ${apiKey})`);
    else await database.drop();
  }

  console.log(`\n${table(results)}\n`);
  const at = (label: string, c: number) => results.find((r) => r.label === label && r.connections === c)!;
  const ratio = at('eligibility', 32).rps / at('bare node:http', 32).rps;
  const p99 = at('eligibility', 8).p99;
  const failures = results.filter((r) => r.non2xx || r.errors).map((f) => `${f.label}@${f.connections}`);
  const downRatio = at(REDIS_DOWN, 32).rps / at('eligibility', 32).rps;
  const downP99 = at(REDIS_DOWN, 8).p99;
  const redisDown = {
    ratioAt32: Math.round(downRatio * 1000) / 1000,
    p99At8Ms: downP99,
    targets: { ratioAt32: 0.5, p99At8Ms: 50 },
    met: downRatio >= 0.5 && downP99 < 50 && failures.length === 0,
  };
  const summary = {
    generator,
    seconds: SECONDS,
    customers: CUSTOMERS,
    users: USERS,
    ratioAt32: Math.round(ratio * 1000) / 1000,
    p99At8Ms: p99,
    targets: { ratioAt32: 0.5, p99At8Ms: 10 },
    met: ratio >= 0.5 && p99 <= 10 && failures.length === 0,
    failures,
    redisDown,
    results,
  };
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
