import { randomUUID } from 'node:crypto';
import type { PreparedStatement } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import { LONG_TX } from '../locks.ts';
import { withStripe } from '../stripe/gateway.ts';
import { handleStripeEvent, isHandledStripeEvent, STRIPE_ACTOR, type HandlerResult } from './handlers.ts';

/** The verified event, as stripe-node's constructEvent returns it (only what we store). */
export interface VerifiedStripeEvent {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}

export type RecordOutcome =
  /** Not one of the six events: answered 200 and not stored. */
  | { action: 'ignored' }
  /** Stored (now or by an earlier delivery) and not processed yet: queue it. */
  | { action: 'enqueue' }
  /** A redelivery of an event already processed. */
  | { action: 'duplicate' };

// The endpoint's write, as one prepared statement rather than Prisma calls: it is the hot path of every
// webhook (measured in bench/webhooks.ts), and it answers "new or already there, and processed?" in one trip.
const RECORD_EVENT_SQL: PreparedStatement = {
  name: 'stripe_event_record_v1',
  text: `WITH inserted AS (
           INSERT INTO stripe_events (id, type, payload, "stripeCreatedAt", "receivedAt") VALUES ($1, $2, $3::jsonb, $4, $5)
           ON CONFLICT (id) DO NOTHING RETURNING 'INSERTED'::text AS status)
         SELECT status FROM inserted
         UNION ALL SELECT status::text FROM stripe_events WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
};

/**
 * The webhook endpoint's one write: the event, durably, under Stripe's unique
 * event id. A redelivery is harmless (ON CONFLICT DO NOTHING). Unhandled types
 * are acknowledged without being stored.
 */
export async function recordStripeEvent(deps: Pick<Deps, 'sql' | 'clock'>, event: VerifiedStripeEvent, rawBody?: string): Promise<RecordOutcome> {
  if (!isHandledStripeEvent(event.type)) return { action: 'ignored' };
  const [row] = await deps.sql.query<{ status: string }>(RECORD_EVENT_SQL, [
    event.id,
    event.type,
    rawBody ?? JSON.stringify(event),
    new Date(event.created * 1000),
    deps.clock.now(),
  ]);
  return row?.status === 'PROCESSED' ? { action: 'duplicate' } : { action: 'enqueue' };
}

const START_ATTEMPT_SQL: PreparedStatement = {
  name: 'stripe_event_attempt_v1',
  text: `UPDATE stripe_events SET attempts = attempts + 1 WHERE id = $1 AND status <> 'PROCESSED'`,
};

export type ProcessOutcome = 'processed' | 'already_processed' | 'missing';

interface LockedEvent {
  type: string;
  status: string;
  payload: { data?: { object?: { id?: string } & Record<string, unknown> } };
}

/**
 * Processes one stored event exactly once. The event row is locked for the
 * transaction (FOR UPDATE), so concurrent deliveries of the same event wait and
 * then see it PROCESSED; the handler's writes, the PROCESSED mark and the one
 * audit entry commit together. On failure the attempt and error are recorded
 * and the error rethrown for the queue to retry.
 */
export async function processStripeEvent(deps: Deps, eventId: string): Promise<ProcessOutcome> {
  const sdeps = withStripe(deps);
  await deps.sql.query(START_ATTEMPT_SQL, [eventId]);
  let after: HandlerResult['afterCommit'];
  try {
    const outcome = await deps.db.$transaction(async (tx): Promise<ProcessOutcome> => {
      const [row] = await tx.$queryRaw<LockedEvent[]>`SELECT type, status::text AS status, payload FROM stripe_events WHERE id = ${eventId} FOR UPDATE`;
      if (!row) return 'missing';
      if (row.status === 'PROCESSED') return 'already_processed';
      const object = row.payload.data?.object;
      if (!isHandledStripeEvent(row.type) || !object?.id) throw new Error(`stored event ${eventId} has no object to process`);
      const result = await handleStripeEvent(sdeps, tx, row.type, { ...object, id: object.id });
      after = result.afterCommit;
      // The PROCESSED mark and the event's one audit entry, in one statement (the worker's hot path).
      const details = JSON.stringify({ type: row.type, objectId: object.id, ...result.outcome });
      const now = deps.clock.now();
      await tx.$executeRaw`WITH done AS (
          UPDATE stripe_events SET status = 'PROCESSED', "processedAt" = ${now}, "lastError" = NULL WHERE id = ${eventId} RETURNING id)
        INSERT INTO audit_logs (id, "actorType", "actorId", action, "targetType", "targetId", details, "createdAt")
        SELECT ${randomUUID()}, 'STRIPE', ${STRIPE_ACTOR.name}, 'stripe.event.processed', 'stripe_event', id, ${details}::jsonb, ${now} FROM done`;
      return 'processed';
    }, LONG_TX);
    if (after) await after();
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.db.stripeEvent.updateMany({ where: { id: eventId, status: { not: 'PROCESSED' } }, data: { status: 'FAILED', lastError: message.slice(0, 2000) } }).catch(() => {});
    throw error;
  }
}

/**
 * Events stored but not processed for longer than `olderThanMs` (Redis was
 * down or flushed, a worker died): the sweeper queues them again. Events that
 * failed `maxAttempts` times are left for an operator.
 */
export async function findEventsToSweep(deps: Pick<Deps, 'db' | 'clock'>, olderThanMs: number, maxAttempts: number, limit = 200): Promise<string[]> {
  const rows = await deps.db.stripeEvent.findMany({
    where: { status: { in: ['RECEIVED', 'FAILED'] }, receivedAt: { lt: new Date(deps.clock.now().getTime() - olderThanMs) }, attempts: { lt: maxAttempts } },
    orderBy: { receivedAt: 'asc' },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
