import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { setup as setupDatabase, teardown as teardownDatabase } from '../../../vitest.global-setup.ts';

const APP_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Once per run: build the app (the API serves apps/billing-web/dist under
 * /billing, as in production) and a migrated template database that each
 * test file clones.
 */
export async function setup(): Promise<void> {
  await build({ root: APP_ROOT, configFile: `${APP_ROOT}/vite.config.ts`, logLevel: 'warn' });
  await setupDatabase();
}

export async function teardown(): Promise<void> {
  await teardownDatabase();
}
