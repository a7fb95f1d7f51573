import { stripeEvents, type PreparedStatement } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import { isPermanentFailure } from '../jobs.ts';
import { NeedsTransaction, sqlOf, type AnyTx } from '../locks.ts';
import { withStripe, type StripeDeps } from '../stripe/gateway.ts';
import {
  handleStripeEvent,
  isHandledStripeEvent,
  runsWithoutPrisma,
  sameHandlerTypes,
  STRIPE_ACTOR,
  SUBSCRIPTION_EVENTS,
  type HandlerResult,
} from './handlers.ts';
import { settleIfStripeUnchanged, takeReadTicket } from './settle-unchanged.ts';

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

function objectIdOf(event: VerifiedStripeEvent): string | null {
  const id = (event.data.object as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * The webhook endpoint's one write: the event, durably, under Stripe's unique
 * event id. A redelivery is harmless (ON CONFLICT DO NOTHING). Unhandled types
 * are acknowledged without being stored.
 */
export async function recordStripeEvent(deps: Pick<Deps, 'db' | 'clock'>, event: VerifiedStripeEvent, rawBody?: string): Promise<RecordOutcome> {
  if (!isHandledStripeEvent(event.type)) return { action: 'ignored' };
  const status = await stripeEvents.record(deps.db.kysely, {
    id: event.id,
    type: event.type,
    objectId: objectIdOf(event),
    payload: rawBody ?? JSON.stringify(event),
    stripeCreatedAt: new Date(event.created * 1000),
    receivedAt: deps.clock.now(),
  });
  return status === 'PROCESSED' ? { action: 'duplicate' } : { action: 'enqueue' };
}

/** How many other events of one object a single re-read may settle (bounds the statement). */
const MAX_COALESCED = 500;

// Counts the attempt and tells, in one trip, whether there is anything to do: a redelivered job, or one
// whose event was already applied together with an earlier one, ends here without a transaction. For a
// subscription event ($2 lists those types) it also lists the other unprocessed events about the same
// subscription stored so far: the candidates the unlocked path may settle with it (settle-unchanged.ts).
const START_ATTEMPT_SQL: PreparedStatement = {
  name: 'stripe_event_attempt_v6',
  text: `WITH started AS (UPDATE stripe_events SET attempts = attempts + 1 WHERE id = $1 AND status <> 'PROCESSED' RETURNING id)
         SELECT e.status::text AS status, e.type, e."objectId",
           CASE WHEN e.status <> 'PROCESSED' AND e."objectId" IS NOT NULL AND e.type = ANY($2::text[]) THEN
             ARRAY(SELECT o.id FROM stripe_events o
                   WHERE o."objectId" = e."objectId" AND o.status <> 'PROCESSED' AND o.id <> $1 AND o.type = ANY($2::text[])
                   ORDER BY o."receivedAt" LIMIT ${MAX_COALESCED})
           END AS candidates
         FROM stripe_events e WHERE e.id = $1`,
};

interface StartedEvent {
  status: string;
  type: string;
  objectId: string | null;
  /** Set for subscription events only. */
  candidates: string[] | null;
}

// The event row, locked (FOR UPDATE: concurrent deliveries of the same event wait, then see it PROCESSED),
// and in the same trip the other unprocessed events about the same object whose handler is the same
// (types $3), locked SKIP LOCKED (see lockedEventAndSiblings). The siblings' scan starts from the event's
// status (an InitPlan), so the event is always locked first: a worker never holds siblings while it
// waits for its own event, which could deadlock with a worker holding that event as a sibling.
const LOCK_EVENT_SQL: PreparedStatement = {
  name: 'stripe_event_lock_v4',
  text: `WITH event AS (SELECT type, status::text AS status, payload FROM stripe_events WHERE id = $1 FOR UPDATE),
         siblings AS (SELECT id FROM stripe_events
                      WHERE (SELECT status FROM event) <> 'PROCESSED' AND "objectId" = $2 AND status <> 'PROCESSED' AND id <> $1 AND type = ANY($3::text[])
                      ORDER BY "receivedAt" LIMIT ${MAX_COALESCED} FOR UPDATE SKIP LOCKED)
         SELECT event.*, ARRAY(SELECT id FROM siblings) AS siblings FROM event`,
};

// The PROCESSED mark and each event's one audit entry, in one statement; an event settled by another's
// re-read says which.
const MARK_PROCESSED_SQL: PreparedStatement = {
  name: 'stripe_event_mark_processed_v1',
  text: `WITH done AS (
           UPDATE stripe_events SET status = 'PROCESSED', "processedAt" = $1, "lastError" = NULL WHERE id = ANY($2::text[]) RETURNING id, type)
         INSERT INTO audit_logs (id, "actorType", "actorId", action, "targetType", "targetId", details, "createdAt")
         SELECT gen_random_uuid()::text, 'STRIPE', $3, 'stripe.event.processed', 'stripe_event', id,
           jsonb_build_object('type', type) || $4::jsonb || CASE WHEN id = $5 THEN '{}'::jsonb ELSE jsonb_build_object('coalescedInto', $5::text) END,
           $1
         FROM done`,
};

/** After this many failed attempts an event stays FAILED for an operator: the sweeper no longer queues it (docs/stripe.md). */
export const MAX_EVENT_ATTEMPTS = 25;

export type ProcessOutcome = 'processed' | 'already_processed' | 'missing';

export interface ProcessResult {
  outcome: ProcessOutcome;
  /** Other events this processing settled (committed PROCESSED with it): their queued jobs have nothing left to do. */
  settled: string[];
}

interface LockedEvent {
  type: string;
  status: string;
  payload: { data?: { object?: { id?: string } & Record<string, unknown> } };
}

/**
 * The event, and the other unprocessed events that one re-read of its object
 * settles: the same object and a type with the same handler. They are locked
 * before the handler reads Stripe, so every one of them was stored (and so
 * sent by Stripe) before that read, and the state the read returns is at least
 * as new as the one each announced. SKIP LOCKED: an event another worker holds
 * is left to it, so two workers never wait on each other's events.
 */
async function lockedEventAndSiblings(tx: AnyTx, eventId: string, started: StartedEvent): Promise<(LockedEvent & { siblings: string[] }) | undefined> {
  const types = isHandledStripeEvent(started.type) ? sameHandlerTypes(started.type) : [];
  const [row] = await sqlOf(tx).query<LockedEvent & { siblings: string[] }>(LOCK_EVENT_SQL, [eventId, started.objectId, [...types]]);
  return row;
}

/**
 * One event, in the transaction `tx`: the event row locked (FOR UPDATE, so
 * concurrent deliveries of the same event wait and then see it PROCESSED),
 * its siblings, the handler, the marks and audit entries.
 */
async function applyStoredEvent(
  deps: StripeDeps & Deps,
  tx: AnyTx,
  eventId: string,
  started: StartedEvent,
  onAfterCommit: (after: HandlerResult['afterCommit']) => void,
): Promise<ProcessResult> {
  const row = await lockedEventAndSiblings(tx, eventId, started);
  if (!row) return { outcome: 'missing', settled: [] };
  if (row.status === 'PROCESSED') return { outcome: 'already_processed', settled: [] };
  const object = row.payload.data?.object;
  if (!isHandledStripeEvent(row.type) || !object?.id) throw new Error(`stored event ${eventId} has no object to process`);
  const siblings = row.siblings;
  const handled = await handleStripeEvent(deps, tx, row.type, { ...object, id: object.id });
  onAfterCommit(handled.afterCommit);
  const outcome = JSON.stringify({ objectId: object.id, ...handled.outcome });
  await sqlOf(tx).query(MARK_PROCESSED_SQL, [deps.clock.now(), [eventId, ...siblings], STRIPE_ACTOR.name, outcome, eventId]);
  return { outcome: 'processed', settled: siblings };
}

/**
 * Processes one stored event exactly once: the handler's writes, the PROCESSED
 * mark and one audit entry per event commit together. Other waiting events
 * about the same object are settled by the same re-read (`lockedEventAndSiblings`):
 * a burst of updates to one subscription costs one Stripe read and one
 * transaction. A subscription event first tries the unlocked path
 * (settle-unchanged.ts): when the re-read finds our row already up to date,
 * one statement settles it. Otherwise subscription and invoice events run in a
 * plain SQL transaction (a seventh of the CPU of Prisma's); when one must write
 * through query functions (a subscription or invoice seen for the first
 * time, an invoice that changed) it is rolled back and run again in a `Tx`,
 * like every other type. On failure the attempt and error are recorded and the
 * error rethrown for the queue to retry.
 */
export async function processStripeEvent(deps: Deps, eventId: string): Promise<ProcessResult> {
  const sdeps = withStripe(deps);
  const readTicket = takeReadTicket();
  const [started] = await deps.db.sql.query<StartedEvent>(START_ATTEMPT_SQL, [eventId, SUBSCRIPTION_EVENTS]);
  if (!started) return { outcome: 'missing', settled: [] };
  if (started.status === 'PROCESSED') return { outcome: 'already_processed', settled: [] };
  let after: HandlerResult['afterCommit'];
  const keepAfter = (value: HandlerResult['afterCommit']) => {
    after = value;
  };
  try {
    if (started.candidates && started.objectId) {
      const unlocked = await settleIfStripeUnchanged(sdeps, {
        id: eventId,
        stripeSubscriptionId: started.objectId,
        candidates: started.candidates,
        readTicket,
      });
      if (unlocked.outcome === 'processed') return { outcome: 'processed', settled: unlocked.settled };
      if (unlocked.outcome === 'already_processed') return { outcome: 'already_processed', settled: [] };
    }
    if (runsWithoutPrisma(started.type)) {
      try {
        return await deps.db.sql.transaction((tx) => applyStoredEvent(sdeps, tx, eventId, started, keepAfter));
      } catch (error) {
        if (!(error instanceof NeedsTransaction)) throw error;
      }
    }
    const result = await deps.db.transaction((tx) => applyStoredEvent(sdeps, tx, eventId, started, keepAfter));
    if (after) await after();
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A permanent failure uses up the event's attempts at once: the sweeper leaves it to an operator.
    await stripeEvents.markFailed(deps.db.kysely, eventId, message, isPermanentFailure(error) ? MAX_EVENT_ATTEMPTS : undefined).catch(() => {});
    throw error;
  }
}

/**
 * Events stored but not processed for longer than `olderThanMs` (Redis was
 * down or flushed, a worker died): the sweeper queues them again. Events that
 * failed `maxAttempts` times are left for an operator.
 */
export async function findEventsToSweep(deps: Pick<Deps, 'db' | 'clock'>, olderThanMs: number, maxAttempts: number, limit = 200): Promise<string[]> {
  return stripeEvents.findToSweep(deps.db.kysely, new Date(deps.clock.now().getTime() - olderThanMs), maxAttempts, limit);
}
