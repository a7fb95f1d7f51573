import { randomBytes } from 'node:crypto';
import { createTestDatabase, DEFAULT_ADMIN_URL, dropDatabase, withDatabase } from '@aquoris/db/testing';
import pg from 'pg';

const adminUrl = () => process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;

/**
 * A fresh database for one test file. Under the integration project a
 * migrated template exists (see vitest.global-setup.ts) and cloning it takes
 * milliseconds; without one, migrations run from scratch.
 */
export async function createFreshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const template = process.env.AQB_TEST_TEMPLATE_DB;
  if (!template) {
    const db = await createTestDatabase(adminUrl());
    return { url: db.url, drop: db.drop };
  }
  const name = `aquoris_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: adminUrl() });
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
  return { url: withDatabase(adminUrl(), name), drop: () => dropDatabase(adminUrl(), name) };
}
