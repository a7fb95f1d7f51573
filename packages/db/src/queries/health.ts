import { sql } from 'kysely';
import type { Executor } from '../client.ts';

/** One round trip to PostgreSQL. */
export async function ping(db: Executor): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
