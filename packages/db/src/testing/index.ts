import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

export const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Applies the committed migrations to `databaseUrl` with the stock Prisma CLI (creating the database if needed). */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  await run(process.execPath, [prismaCli, 'migrate', 'deploy'], {
    cwd: packageRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database with a unique name: one per test run. */
export async function createTestDatabase(adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL): Promise<TestDatabase> {
  const name = `aquoris_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(adminUrl, name);
  await migrateDatabase(url);
  return {
    url,
    name,
    drop: () => dropDatabase(adminUrl, name),
  };
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Empties every table of the schema (except Prisma's migration log): between test files. */
export async function truncateAll(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file. Under the integration project a
 * migrated template exists (see vitest.global-setup.ts) and cloning it takes
 * milliseconds; without one, migrations run from scratch.
 */
export async function createFreshDatabase(
  adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL,
): Promise<{ url: string; drop(): Promise<void> }> {
  const template = process.env.AQB_TEST_TEMPLATE_DB;
  if (!template) {
    const db = await createTestDatabase(adminUrl);
    return { url: db.url, drop: db.drop };
  }
  const name = `aquoris_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (error) {
      // Two clones of one template at the same instant collide ("being accessed by other users"): retry.
      if ((error as { code?: string }).code !== '55006' || attempt > 20) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    } finally {
      await client.end();
    }
  }
  return { url: withDatabase(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}
export { createInspectionClient, type InspectionClient } from './prisma.ts';
export { seedAdminLists, seedSubscribedCustomers } from './seed.ts';
export { seedDashboard, type DashboardSeedSize } from './seed-dashboard.ts';
export { restoreRollups, runStatement, saveRollups, snapshotRollups } from './rollups.ts';

/** Kysely's sql template, for tests that seed or change rows in bulk (10,000 rows in one statement). */
export { sql } from 'kysely';
