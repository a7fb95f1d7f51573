import { sql } from 'kysely';
import type { Executor } from '../client.ts';

/** What the endpoint stores of a verified event. */
export interface StripeEventInsert {
  id: string;
  type: string;
  objectId: string | null;
  payload: string;
  stripeCreatedAt: Date;
  receivedAt: Date;
}

/**
 * The endpoint's one write, under Stripe's unique event id: a redelivery changes nothing. Answers whether
 * the event (now or from an earlier delivery) is still to be processed, in one round trip.
 */
export async function record(db: Executor, event: StripeEventInsert): Promise<'INSERTED' | 'RECEIVED' | 'PROCESSED' | 'FAILED'> {
  const { rows } = await sql<{ status: 'INSERTED' | 'RECEIVED' | 'PROCESSED' | 'FAILED' }>`
    WITH inserted AS (
      INSERT INTO stripe_events (id, type, "objectId", payload, "stripeCreatedAt", "receivedAt")
      VALUES (${event.id}, ${event.type}, ${event.objectId}, ${event.payload}::jsonb, ${event.stripeCreatedAt}, ${event.receivedAt})
      ON CONFLICT (id) DO NOTHING RETURNING 'INSERTED'::text AS status)
    SELECT status FROM inserted
    UNION ALL SELECT status::text FROM stripe_events WHERE id = ${event.id} AND NOT EXISTS (SELECT 1 FROM inserted)`.execute(db);
  return rows[0]?.status ?? 'RECEIVED';
}

/** Records a failed attempt on an event still unprocessed; `attempts`, when given, replaces its count. */
export async function markFailed(db: Executor, id: string, lastError: string, attempts?: number): Promise<void> {
  await db
    .updateTable('stripe_events')
    .set({ status: 'FAILED', lastError: lastError.slice(0, 2000), ...(attempts === undefined ? {} : { attempts }) })
    .where('id', '=', id)
    .where('status', '<>', 'PROCESSED')
    .execute();
}

/**
 * Events stored but not processed since before `receivedBefore` that have attempts left (Redis was down
 * or flushed, a worker died), oldest first: the sweeper queues them again.
 */
export async function findToSweep(db: Executor, receivedBefore: Date, maxAttempts: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('stripe_events')
    .select('id')
    .where('status', 'in', ['RECEIVED', 'FAILED'])
    .where('receivedAt', '<', receivedBefore)
    .where('attempts', '<', maxAttempts)
    .orderBy('receivedAt')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
