import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@aquoris/db/testing';
import { build } from 'vite';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the bundle is built from: the app, its config, and the modules of core it imports (money, error tracking). */
const INPUTS = ['src', 'index.html', 'vite.config.ts', 'package.json', '../../packages/core/src/money.ts', '../../packages/core/src/error-tracking.ts'].map(
  (path) => join(APP_ROOT, path),
);
let template: TestDatabase | undefined;

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** dist/ from `pnpm build` (as in `pnpm check`, which builds just before the tests) is reused when no input is newer. */
function isBuilt(): boolean {
  const index = join(APP_ROOT, 'dist', 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...INPUTS.map(newest));
}

/**
 * Once per run: build the app unless dist/ is already fresh (the API serves
 * apps/billing-web/dist under /billing, as in production) and, unless another project of the run already
 * made one, a migrated template database that each test file clones.
 */
export async function setup(): Promise<void> {
  // vitest runs with NODE_ENV=test, which would make this a development build of React: build what production serves.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    if (!isBuilt()) await build({ root: APP_ROOT, configFile: `${APP_ROOT}/vite.config.ts`, mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  if (!process.env.AQB_TEST_TEMPLATE_DB) {
    template = await createTestDatabase();
    process.env.AQB_TEST_TEMPLATE_DB = template.name;
  }
}

export async function teardown(): Promise<void> {
  await template?.drop();
}
