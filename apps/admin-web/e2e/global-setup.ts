import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@aquoris/db/testing';
import { build } from 'vite';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));
let template: TestDatabase | undefined;

/**
 * Once per run: build the app (the API serves apps/admin-web/dist under
 * /billing, as in production) and, unless another project of the run already
 * made one, a migrated template database that each test file clones.
 */
export async function setup(): Promise<void> {
  // vitest runs with NODE_ENV=test, which would make this a development build of React: build what production serves.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: APP_ROOT, configFile: `${APP_ROOT}/vite.config.ts`, mode: 'production', logLevel: 'warn' });
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
