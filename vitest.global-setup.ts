import { createTestDatabase, type TestDatabase } from '@aquoris/db/testing';

/**
 * Once per test run: a freshly migrated template database. Each integration
 * test file clones it into its own database (fresh per file, parallel-safe),
 * and the template is dropped at the end.
 */
let template: TestDatabase | undefined;

export async function setup(): Promise<void> {
  template = await createTestDatabase();
  process.env.AQB_TEST_TEMPLATE_DB = template.name;
}

export async function teardown(): Promise<void> {
  await template?.drop();
}
