import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@aquoris/db/testing';

/**
 * Once per test run: a freshly migrated template database. Each integration
 * test file clones it into its own database (fresh per file, parallel-safe),
 * and the template is dropped at the end.
 */
let template: TestDatabase | undefined;

export async function setup(): Promise<void> {
  buildApi();
  template = await createTestDatabase();
  process.env.AQB_TEST_TEMPLATE_DB = template.name;
}

export async function teardown(): Promise<void> {
  await template?.drop();
}

/**
 * The tests that run the built API, worker or CLI (dist/) get what the sources say now: turbo builds the API and
 * what it depends on, or replays its cache when nothing changed (a second or two; `pnpm check` has just built).
 */
function buildApi(): void {
  const turbo = fileURLToPath(new URL('./node_modules/.bin/turbo', import.meta.url));
  const build = spawnSync(turbo, ['run', 'build', '--filter=@aquoris/api', '--output-logs=errors-only'], {
    encoding: 'utf8',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) throw new Error(`building @aquoris/api failed:\n${build.stdout}\n${build.stderr}`);
}
