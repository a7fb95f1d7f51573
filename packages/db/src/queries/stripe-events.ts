import { sql } from 'kysely';
import type { Executor, Tx } from '../client.ts';
import type { Keyset } from '../keyset.ts';

/** What the endpoint stores of a verified event. */
export interface StripeEventInsert {
  id: string;
  type: string;
  objectId: string | null;
  payload: string;
  stripeCreatedAt: Date;
  receivedAt: Date;
  /** The app whose own Stripe account sent it (its per-app endpoint); null or absent: the platform account. */
  appId?: string | null;
  livemode?: boolean;
}

/**
 * The endpoint's one write, under Stripe's unique event id: a redelivery changes nothing. Answers whether
 * the event (now or from an earlier delivery) is still to be processed, in one round trip.
 */
export async function record(db: Executor, event: StripeEventInsert): Promise<'INSERTED' | 'RECEIVED' | 'PROCESSED' | 'FAILED'> {
  const { rows } = await sql<{ status: 'INSERTED' | 'RECEIVED' | 'PROCESSED' | 'FAILED' }>`
    WITH inserted AS (
      INSERT INTO stripe_events (id, type, "objectId", payload, "stripeCreatedAt", "receivedAt", "appId", livemode)
      VALUES (${event.id}, ${event.type}, ${event.objectId}, ${event.payload}::jsonb, ${event.stripeCreatedAt}, ${event.receivedAt},
        ${event.appId ?? null}, ${event.livemode ?? false})
      ON CONFLICT (id) DO NOTHING RETURNING 'INSERTED'::text AS status)
    SELECT status FROM inserted
    UNION ALL SELECT status::text FROM stripe_events WHERE id = ${event.id} AND NOT EXISTS (SELECT 1 FROM inserted)`.execute(db);
  return rows[0]?.status ?? 'RECEIVED';
}

/**
 * A monotonic read ticket: the id of a PostgreSQL transaction started now. A Stripe read that begins
 * after the ticket is taken is at least as new as every change committed before it; comparing tickets
 * orders reads by when they could have begun (transaction ids are handed out in increasing order).
 */
export async function takeReadTicket(db: Executor): Promise<string> {
  const { rows } = await sql<{ ticket: string }>`SELECT pg_current_xact_id()::text AS ticket`.execute(db);
  return rows[0]!.ticket;
}

export interface ClaimedEvents {
  events: Array<{ id: string; type: string }>;
  /** The event copy of the object (`data.object`) in the newest claimed event, when asked for. */
  snapshot: unknown;
  /** The claim's own transaction id (see takeReadTicket): a read that begins after it is as new as every claimed event. */
  ticket: string;
  /** The Stripe account the events came from: an app's own (appId) or the platform's (null), and its mode. */
  account: { appId: string | null; livemode: boolean };
}

/**
 * Claims the unprocessed events about one Stripe object (oldest first, at most `limit`): counts an
 * attempt on each and takes the read ticket, in one statement. Events that used up `maxAttempts` are
 * left to an operator. SKIP LOCKED: an event another claim is counting right now is left to it. Nothing
 * stays locked after the statement.
 */
export async function claimForObject(
  db: Executor,
  objectId: string,
  types: readonly string[],
  maxAttempts: number,
  limit: number,
  withSnapshot = false,
): Promise<ClaimedEvents | null> {
  const { rows } = await sql<{ id: string; type: string; receivedAt: Date; ticket: string; snapshot: unknown; appId: string | null; livemode: boolean }>`
    WITH claimed AS (
      SELECT id FROM stripe_events
      WHERE "objectId" = ${objectId} AND status <> 'PROCESSED' AND type = ANY(${[...types]}::text[]) AND attempts < ${maxAttempts}
      ORDER BY "receivedAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    UPDATE stripe_events e SET attempts = e.attempts + 1 FROM claimed WHERE e.id = claimed.id
    RETURNING e.id, e.type, e."receivedAt", e."appId", e.livemode, pg_current_xact_id()::text AS ticket,
      CASE WHEN ${withSnapshot}::boolean THEN e.payload->'data'->'object' END AS snapshot`.execute(db);
  if (rows.length === 0) return null;
  rows.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
  const newest = rows.at(-1)!;
  return {
    events: rows.map(({ id, type }) => ({ id, type })),
    ticket: rows[0]!.ticket,
    snapshot: newest.snapshot,
    account: { appId: newest.appId, livemode: newest.livemode },
  };
}

/** Marks the events PROCESSED (those not already): returns the ones this call marked, in the order given. */
export async function markProcessed(tx: Tx, ids: string[], processedAt: Date): Promise<Array<{ id: string; type: string; receivedAt: Date }>> {
  if (ids.length === 0) return [];
  const rows = await tx
    .updateTable('stripe_events')
    .set({ status: 'PROCESSED', processedAt, lastError: null })
    .where('id', 'in', ids)
    .where('status', '<>', 'PROCESSED')
    .returning(['id', 'type', 'receivedAt'])
    .execute();
  const marked = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => marked.get(id) ?? []);
}

/** Records a failed attempt on the events still unprocessed; `attempts`, when given, replaces their count. */
export async function markFailed(db: Executor, ids: string[], lastError: string, attempts?: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('stripe_events')
    .set({ status: 'FAILED', lastError: lastError.slice(0, 2000), ...(attempts === undefined ? {} : { attempts }) })
    .where('id', 'in', ids)
    .where('status', '<>', 'PROCESSED')
    .execute();
}

/**
 * Events stored but not processed since before `receivedBefore` that have attempts left (Redis was down
 * or flushed, a worker died), oldest first: the sweeper queues them again.
 */
export async function findToSweep(
  db: Executor,
  receivedBefore: Date,
  maxAttempts: number,
  limit: number,
): Promise<Array<{ id: string; type: string; objectId: string | null }>> {
  return db
    .selectFrom('stripe_events')
    .select(['id', 'type', 'objectId'])
    .where('status', 'in', ['RECEIVED', 'FAILED'])
    .where('receivedAt', '<', receivedBefore)
    .where('attempts', '<', maxAttempts)
    .orderBy('receivedAt')
    .limit(limit)
    .execute();
}

/** What the endpoint stores of a signed event it cannot apply (a malformed id, missing fields): kept as a record, never processed. */
export interface RejectedStripeEventInsert {
  id: string;
  type: string;
  payload: string;
  stripeCreatedAt: Date;
  receivedAt: Date;
  lastError: string;
  /** Its attempts, used up at once: the event is dead-lettered from the start. */
  attempts: number;
}

/** Stores a rejected event as FAILED (a redelivery changes nothing). */
export async function recordRejected(db: Executor, event: RejectedStripeEventInsert): Promise<void> {
  await db
    .insertInto('stripe_events')
    .values({
      id: event.id,
      type: event.type,
      objectId: null,
      payload: sql`${event.payload}::jsonb`,
      status: 'FAILED',
      attempts: event.attempts,
      lastError: event.lastError.slice(0, 2000),
      stripeCreatedAt: event.stripeCreatedAt,
      receivedAt: event.receivedAt,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Counts one failed attempt on each unprocessed event (one the sweeper could not queue, say); returns their counts after it. */
export function recordFailedAttempt(db: Executor, ids: string[], lastError: string): Promise<Array<{ id: string; attempts: number }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .updateTable('stripe_events')
    .set((eb) => ({ status: 'FAILED', lastError: lastError.slice(0, 2000), attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', ids)
    .where('status', '<>', 'PROCESSED')
    .returning(['id', 'attempts'])
    .execute();
}

export type StripeEventRow = Awaited<ReturnType<typeof findById>>;

export const findById = (db: Executor, id: string) =>
  db
    .selectFrom('stripe_events')
    .select(['id', 'type', 'objectId', 'payload', 'status', 'attempts', 'lastError', 'stripeCreatedAt', 'receivedAt', 'processedAt'])
    .where('id', '=', id)
    .executeTakeFirst();

/** FAILED events, newest first after `cursor` (its createdAt is the row's receivedAt): those with at least `minAttempts` (the dead letters, or all with 0). */
export function listFailed(db: Executor, minAttempts: number, cursor: Keyset | null, limit: number) {
  let query = db
    .selectFrom('stripe_events')
    .select(['id', 'type', 'objectId', 'attempts', 'lastError', 'stripeCreatedAt', 'receivedAt'])
    .where('status', '=', 'FAILED')
    .where('attempts', '>=', minAttempts)
    .orderBy('receivedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (cursor) query = query.where(sql<boolean>`("receivedAt", id) < (${cursor.createdAt}::timestamptz, ${cursor.id})`);
  return query.execute();
}

/** Gives a FAILED event its attempts back (an operator's retry): RECEIVED, as if just stored. Returns it, or nothing when it was not FAILED. */
export const resetForRetry = (tx: Tx, id: string) =>
  tx
    .updateTable('stripe_events')
    .set({ status: 'RECEIVED', attempts: 0, lastError: null })
    .where('id', '=', id)
    .where('status', '=', 'FAILED')
    .returning(['id', 'type', 'objectId'])
    .executeTakeFirst();
