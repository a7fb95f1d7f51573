/**
 * pnpm bench:dashboard — the admin Dashboard on 1,000,000 subscriptions and 5,000,000 invoices
 * (BENCH_SUBSCRIPTIONS, BENCH_INVOICES) over 50 apps: a fresh database seeded in bulk (seedDashboard),
 * `cli metrics:rebuild`, then the built API. Each card and chart (admin.dashboard.<stat>) is timed cold,
 * the first call after an API restart (BENCH_COLD_RUNS restarts, each with its own empty Redis
 * namespace, so no cache helps) and warm (BENCH_WARM_RUNS calls over three filters: all apps, one app,
 * a past month); the whole Dashboard page in Chromium (navigation to all four cards showing numbers, after a
 * restart and then warm). Then the CSV exports at that size. Prints JSON: per figure cold and warm p50/p95 in
 * milliseconds, the exports' rows and seconds, and the API process's peak RSS.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createAdmin, openAdminSession } from '@aquoris/core';
import { createDatabase } from '@aquoris/db';
import { createTestDatabase, seedDashboard } from '@aquoris/db/testing';
import { BENCH_ACTOR, benchApiEnv, benchDeps, dropUnlessKept, runBench, startLogged, stopProcess } from './lib.ts';
import { downloadExports, RssSampler } from './dashboard-exports.ts';
import { timeDashboardPage } from './dashboard-page.ts';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 1_000_000);
const INVOICES = Number(process.env.BENCH_INVOICES ?? 5_000_000);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 60);
const PORT = Number(process.env.BENCH_API_PORT ?? 3921);
const KEEP = process.env.BENCH_KEEP_DB === '1';
const STATS = ['mrr', 'active', 'churn', 'revenue', 'mrrSeries', 'subscriptionFlow', 'revenueSeries', 'movements'] as const;
const PAGE_RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 5);
const TARGETS = { coldP95Ms: 500, warmP95Ms: 50, pageMs: 1_000 };

const round = (n: number) => Math.round(n * 10) / 10;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);
}
/** Where the bench is, on stderr (stdout ends with the JSON). */
const progress = (line: string) => process.stderr.write(`bench:dashboard ${line}\n`);
const seconds = (start: number) => Math.round((performance.now() - start) / 100) / 10;

/** One figure over HTTP as the console asks for it; the time from request to the whole answer. */
async function timeFigure(cookie: string, stat: string, filter: object): Promise<number> {
  const start = performance.now();
  const res = await fetch(`http://127.0.0.1:${PORT}/trpc/admin.dashboard.${stat}?input=${encodeURIComponent(JSON.stringify(filter))}`, {
    headers: { cookie, 'x-aquoris-admin': '1' },
  });
  const body = await res.text();
  const ms = performance.now() - start;
  if (!res.ok) throw new Error(`admin.dashboard.${stat} ${JSON.stringify(filter)}: ${res.status} ${body.slice(0, 300)}`);
  return ms;
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const deps = benchDeps(createDatabase(database.url, { max: 2 }));
  // The API signs and checks admin cookies with the same secret, so a session opened here is one it accepts.
  const secret = deps.config.adminSessionSecret;
  const rss = new RssSampler();
  let api: Awaited<ReturnType<typeof startLogged>> | undefined;
  const start = (label: string) =>
    startLogged(
      `dashboard-api-${label}`,
      ['apps/api/dist/main.js'],
      {
        ...benchApiEnv(database.url, secret, PORT),
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        // Loading 500,000 eligibility answers before listening is the eligibility bench's concern: here it would
        // make each restart take a minute and put the cache's memory into the RSS measured.
        ELIGIBILITY_CACHE_WARM: 'false',
        REDIS_KEY_PREFIX: `aqbbench${randomBytes(4).toString('hex')}`,
      },
      `http://127.0.0.1:${PORT}/api/health`,
    ).then((child) => {
      rss.watch(child.pid);
      return child;
    });
  const loadAtStart = loadavg().map(round);
  try {
    let t = performance.now();
    await seedDashboard(deps.db.kysely, { subscriptions: SUBSCRIPTIONS, invoices: INVOICES, apps: 50 });
    const seedSeconds = seconds(t);
    progress(`seeded ${SUBSCRIPTIONS} subscriptions and ${INVOICES} invoices in ${seedSeconds} s; metrics:rebuild…`);
    t = performance.now();
    const rebuild = await promisify(execFile)(process.execPath, ['apps/api/dist/cli.js', 'metrics:rebuild'], {
      env: { ...process.env, ...benchApiEnv(database.url, secret, PORT), LOG_LEVEL: 'warn' },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 30 * 60_000,
    });
    const rebuildSeconds = seconds(t);
    progress(`rebuilt the rollups in ${rebuildSeconds} s; ${COLD_RUNS} cold runs, then ${WARM_RUNS} warm rounds and the exports…`);
    const admin = await createAdmin(deps, BENCH_ACTOR, { email: 'bench@example.com', password: 'bench password 1', name: 'Bench' });
    const cookieValue = (await openAdminSession(deps, admin.id)).cookieValue;
    const cookie = `aqb_admin=${cookieValue}`;

    const cold: Record<string, number[]> = Object.fromEntries(STATS.map((s) => [s, []]));
    for (let run = 0; run < COLD_RUNS; run++) {
      api = await start(`cold-${run}`);
      // A different stat goes first each run: the first request after a restart also opens the pool's connections.
      for (let i = 0; i < STATS.length; i++) {
        const stat = STATS[(i + run) % STATS.length]!;
        cold[stat]!.push(await timeFigure(cookie, stat, {}));
      }
      await stopProcess(api);
      api = undefined;
    }
    api = await start('warm');
    const now = new Date();
    const pastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1)).toISOString().slice(0, 7);
    const filters = [{}, { appId: 'ba_7' }, { month: pastMonth }];
    const warm: Record<string, number[]> = Object.fromEntries(STATS.map((s) => [s, []]));
    for (const stat of STATS) for (const filter of filters) await timeFigure(cookie, stat, filter); // each filter once before timing
    for (let run = 0; run < WARM_RUNS; run++) for (const stat of STATS) warm[stat]!.push(await timeFigure(cookie, stat, filters[run % filters.length]!));
    const figures = STATS.map((stat) => ({
      stat,
      coldMs: cold[stat]!.map(round),
      coldP95Ms: percentile(cold[stat]!, 95),
      warmP50Ms: percentile(warm[stat]!, 50),
      warmP95Ms: percentile(warm[stat]!, 95),
    }));
    // The whole page in Chromium: the first navigation after an API restart (cold), then PAGE_RUNS more (warm).
    await stopProcess(api);
    api = await start('page');
    // A page that never shows its numbers is a failure of the bench's result, not of the bench: the exports still run.
    const page = await timeDashboardPage(`http://127.0.0.1:${PORT}`, cookieValue, 1 + PAGE_RUNS).then(
      ([cold, ...warm]) => ({ coldMs: cold!.ms, warmMs: warm.map((p) => p.ms), warmMaxMs: Math.max(...warm.map((p) => p.ms)), error: null }),
      (error: unknown) => ({ coldMs: NaN, warmMs: [], warmMaxMs: NaN, error: String(error) }),
    );
    progress(`page: cold ${page.coldMs} ms, warm ${page.warmMs.join(', ')} ms${page.error ? ` (${page.error})` : ''}; the exports…`);
    const exports = await downloadExports(`http://127.0.0.1:${PORT}`, cookie, database.url, rss);
    const failures = [
      ...figures.filter((f) => f.coldP95Ms >= TARGETS.coldP95Ms).map((f) => `${f.stat}: cold p95 ${f.coldP95Ms} ms`),
      ...figures.filter((f) => f.warmP95Ms >= TARGETS.warmP95Ms).map((f) => `${f.stat}: warm p95 ${f.warmP95Ms} ms`),
      ...(page.error ? [`page: ${page.error}`] : []),
      ...(page.coldMs >= TARGETS.pageMs ? [`page: cold ${page.coldMs} ms`] : []),
      ...(page.warmMaxMs >= TARGETS.pageMs ? [`page: warm ${page.warmMaxMs} ms`] : []),
      ...exports.filter((e) => e.rows !== e.expectedRows).map((e) => `${e.file}: ${e.rows} rows, expected ${e.expectedRows}`),
    ];
    const summary = {
      bench: 'dashboard',
      subscriptions: SUBSCRIPTIONS,
      invoices: INVOICES,
      apps: 50,
      seedSeconds,
      rebuildSeconds,
      rebuildOutputLines: rebuild.stdout.trim().split('\n').length,
      coldRuns: COLD_RUNS,
      warmRuns: WARM_RUNS,
      figures,
      page,
      exports,
      apiPeakRssMb: rss.peakMb(),
      loadAverage: { atStart: loadAtStart, atEnd: loadavg().map(round) },
      targets: TARGETS,
      met: failures.length === 0,
      failures,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    rss.stop();
    if (api) await stopProcess(api);
    await deps.db.close();
    await dropUnlessKept(database, KEEP);
  }
}

runBench(main);
