import type { Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import type { StripeEvent } from '../kysely/types.ts';

export type StripeEventRow = Selectable<StripeEvent>;

export const findById = (db: Executor, id: string): Promise<StripeEventRow | undefined> =>
  db.selectFrom('stripe_events').selectAll().where('id', '=', id).executeTakeFirst();

/** Records a failed attempt's error, unless the event was processed meanwhile. */
export async function markFailed(db: Executor, id: string, lastError: string): Promise<void> {
  await db.updateTable('stripe_events').set({ status: 'FAILED', lastError }).where('id', '=', id).where('status', '<>', 'PROCESSED').execute();
}

/** Events not processed since before `receivedBefore` with fewer than `maxAttempts` attempts, oldest first. */
export async function listToSweep(db: Executor, receivedBefore: Date, maxAttempts: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('stripe_events')
    .select('id')
    .where('status', 'in', ['RECEIVED', 'FAILED'])
    .where('receivedAt', '<', receivedBefore)
    .where('attempts', '<', maxAttempts)
    .orderBy('receivedAt', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

export async function countNotProcessed(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('stripe_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '<>', 'PROCESSED')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
