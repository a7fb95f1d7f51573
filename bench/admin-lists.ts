/**
 * pnpm bench:admin-lists — the admin console's lists on a big database: with 1,000,000
 * subscriptions (BENCH_SUBSCRIPTIONS), the exact filtered count and the first page of each filter,
 * through core's listSubscriptions and as the two statements alone. Seeds its own database with
 * INSERT … SELECT generate_series, VACUUM ANALYZEs it (index-only counts need the visibility map),
 * runs every case RUNS times after one warm-up and prints the figures as JSON (milliseconds).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { listAuditEntries, listSubscriptions, searchCustomers, silentLogger, systemClock, type Deps } from '@aquoris/core';
import { createDatabase, subscriptions } from '@aquoris/db';
import { createTestDatabase, seedAdminLists } from '@aquoris/db/testing';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 1_000_000);
const AUDIT_ENTRIES = Number(process.env.BENCH_AUDIT_ENTRIES ?? 500_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const KEEP = process.env.BENCH_KEEP_DATABASE === '1';

interface Figure {
  case: string;
  rows: number;
  medianMs: number;
  maxMs: number;
}

async function time(label: string, run: () => Promise<number>): Promise<Figure> {
  let rows = await run(); // warm-up: plans cached, pages in shared buffers
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    rows = await run();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { case: label, rows, medianMs: round(ms[Math.floor(ms.length / 2)]!), maxMs: round(ms.at(-1)!) };
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const secret = randomBytes(32).toString('hex');
  const deps: Deps = {
    db: createDatabase(database.url, { max: 4 }),
    clock: systemClock,
    log: silentLogger,
    config: { publicUrl: 'http://127.0.0.1', sessionSecret: secret, adminSessionSecret: `${secret}a`, apiKeyEncryptionSecret: `${secret}b` },
  };
  try {
    const seedStart = performance.now();
    await seedAdminLists(deps.db.kysely, { subscriptions: SUBSCRIPTIONS, auditEntries: AUDIT_ENTRIES });
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    const filters = {
      all: {},
      'status=ACTIVE': { status: 'ACTIVE' },
      'status=PAST_DUE': { status: 'PAST_DUE' },
      'app=app-1 (half the rows)': { appSlug: 'app-1' },
      'app=app-3': { appSlug: 'app-3' },
      'app=app-1,status=CANCELED': { appSlug: 'app-1', status: 'CANCELED' },
      'plan=plan-2': { planSlug: 'plan-2' },
      'plan=plan-2,status=ACTIVE': { planSlug: 'plan-2', status: 'ACTIVE' },
      'app=app-3,plan=plan-2,status=TRIALING': { appSlug: 'app-3', planSlug: 'plan-2', status: 'TRIALING' },
    } as const;
    const ids = { 'app-1': 'ba_1', 'app-3': 'ba_3', 'plan-2': 'bp_2' } as Record<string, string>;
    const figures: Figure[] = [];
    for (const [label, filter] of Object.entries(filters)) {
      const f = filter as { status?: 'ACTIVE'; appSlug?: string; planSlug?: string };
      const dbFilter = { status: f.status, appId: f.appSlug && ids[f.appSlug], planId: f.planSlug && ids[f.planSlug] };
      figures.push(await time(`count ${label}`, () => subscriptions.countFiltered(deps.db.kysely, dbFilter)));
      figures.push(await time(`first page ${label}`, async () => (await subscriptions.listFilteredPage(deps.db.kysely, dbFilter, null, 51)).length));
      figures.push(await time(`listSubscriptions ${label} (count + page + lookups)`, async () => (await listSubscriptions(deps, f)).total));
    }
    const first = await listSubscriptions(deps, { status: 'ACTIVE' });
    let deep = first.nextCursor!;
    for (let i = 0; i < 200; i++) deep = (await listSubscriptions(deps, { status: 'ACTIVE', cursor: deep })).nextCursor!;
    figures.push(
      await time(
        'listSubscriptions status=ACTIVE, page 202',
        async () => (await listSubscriptions(deps, { status: 'ACTIVE', cursor: deep })).subscriptions.length,
      ),
    );
    figures.push(
      await time('searchCustomers "user_12345" (a rare prefix)', async () => (await searchCustomers(deps, { query: 'user_12345' })).customers.length),
    );
    figures.push(await time('searchCustomers "user" (every customer)', async () => (await searchCustomers(deps, { query: 'user' })).customers.length));
    figures.push(
      await time(
        'searchCustomers "user1" (a ninth of them, none among the newest)',
        async () => (await searchCustomers(deps, { query: 'user1' })).customers.length,
      ),
    );
    figures.push(
      await time(
        'searchCustomers "user_12345" in app-1',
        async () => (await searchCustomers(deps, { query: 'user_12345', appSlug: 'app-1' })).customers.length,
      ),
    );
    figures.push(await time('listAuditEntries first page', async () => (await listAuditEntries(deps, {})).entries.length));
    figures.push(await time('listAuditEntries actorType=ADMIN', async () => (await listAuditEntries(deps, { actorType: 'ADMIN' })).entries.length));
    figures.push(
      await time(
        'listAuditEntries action=subscription.extended',
        async () => (await listAuditEntries(deps, { action: 'subscription.extended' })).entries.length,
      ),
    );
    const slowest = Math.max(...figures.filter((f) => f.case.startsWith('count') || f.case.startsWith('first page')).map((f) => f.maxMs));
    process.stdout.write(
      `${JSON.stringify({ bench: 'admin-lists', subscriptions: SUBSCRIPTIONS, auditEntries: AUDIT_ENTRIES, runs: RUNS, seedSeconds, slowestCountOrFirstPageMs: slowest, figures }, null, 2)}\n`,
    );
  } finally {
    await deps.db.close();
    if (KEEP) process.stderr.write(`kept ${database.url}\n`);
    else await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
