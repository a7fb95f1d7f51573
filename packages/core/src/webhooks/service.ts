import { isDeadlock, stripeEvents, type Tx } from '@aquoris/db';
import { recordAudits } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { isPermanentFailure } from '../jobs.ts';
import { stripeForEventAccount } from '../stripe-accounts/accounts.ts';
import { describeIssues } from '../validation.ts';
import { MAX_EVENT_ATTEMPTS, recordRejectedStripeEvent } from './dead-letters.ts';
import { STRIPE_ACTOR } from '../actors.ts';
import { concernsUs, eventTypesOf, isHandledStripeEvent, objectHandler, stripeObjectKindOf, type StripeObjectRef } from './handlers.ts';
import { parseStripeEventEnvelope } from './schemas.ts';

/** A signed event as the endpoint stores it, once its shape is checked (StripeEventEnvelope). */
export interface VerifiedStripeEvent {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}

export type RecordOutcome =
  /** Not one of the handled events, or about none of ours (handlers.ts concernsUs): answered 200 and not stored. */
  | { action: 'ignored' }
  /** Stored (now or by an earlier delivery) and not processed yet: queue its object. */
  | { action: 'enqueue'; object: StripeObjectRef }
  /** A redelivery of an event already processed. */
  | { action: 'duplicate' }
  /** Signed, but not the shape of a Stripe event (a malformed id, missing fields): recorded as failed, never applied. */
  | { action: 'failed'; reason: string };

/**
 * The webhook endpoint's one write: the event, durably, under Stripe's unique event id. A redelivery is
 * harmless (ON CONFLICT DO NOTHING). Unhandled types are acknowledged without being stored; a handled one
 * whose shape does not fit is recorded dead-lettered with the reason (dead-letters.ts), so that Stripe,
 * answered 200, stops sending what no retry can fix.
 */
export async function recordStripeEvent(
  deps: Pick<Deps, 'db' | 'clock'>,
  event: unknown,
  rawBody?: string,
  /** The per-app endpoint's account (the worker reads the object back from it); absent: the platform account. */
  account?: { appId: string; livemode: boolean },
): Promise<RecordOutcome> {
  const type = (event as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && !isHandledStripeEvent(type)) return { action: 'ignored' };
  const payload = rawBody ?? JSON.stringify(event);
  const parsed = parseStripeEventEnvelope(event);
  if (!parsed.success || !isHandledStripeEvent(parsed.data.type)) {
    const reason = `malformed Stripe event: ${parsed.success ? 'type: not handled' : describeIssues(parsed.error.issues)}`;
    await recordRejectedStripeEvent(deps, event, payload, reason, MAX_EVENT_ATTEMPTS);
    return { action: 'failed', reason };
  }
  const { id, created, data } = parsed.data;
  if (!concernsUs(parsed.data.type, data.object)) return { action: 'ignored' };
  const status = await stripeEvents.record(deps.db.kysely, {
    id,
    type: parsed.data.type,
    objectId: data.object.id,
    payload,
    stripeCreatedAt: new Date(created * 1000),
    receivedAt: deps.clock.now(),
    ...(account ? { appId: account.appId, livemode: account.livemode } : {}),
  });
  return status === 'PROCESSED'
    ? { action: 'duplicate' }
    : { action: 'enqueue', object: { kind: stripeObjectKindOf(parsed.data.type), objectId: data.object.id } };
}

/** How many times the apply step runs when PostgreSQL breaks a deadlock by failing it. */
const DEADLOCK_ATTEMPTS = 3;

/**
 * The apply step's transaction, run again when PostgreSQL fails it to break a deadlock: it holds only database
 * work (the Stripe read is done before it, afterCommit runs after), so running it again is safe. The rollup
 * writers take their app's rollup lock first (metrics-log.ts addToDaily), but an apply also locks customer,
 * subscription and invoice rows before it reaches the rollups, and many runs at once can still meet in
 * opposite orders there (coalescing.int.test.ts saw it); a safety net until every writer takes one lock order.
 */
async function inRetriedTransaction<T>(deps: Deps, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction(fn);
    } catch (error) {
      if (!isDeadlock(error) || attempt >= DEADLOCK_ATTEMPTS) throw error;
      deps.log.warn({ attempt }, 'webhook apply hit a deadlock; running it again');
    }
  }
}

/** How many events of one object a single read may settle (bounds the statements). */
const MAX_COALESCED = 500;

export interface ProcessResult {
  outcome: 'processed' | 'nothing_to_do';
  /** The events this run committed PROCESSED, oldest first. */
  processed: string[];
  /** For each of those, the time from its receipt to the commit (the webhook-lag metric). */
  lagMs: number[];
}

/**
 * Applies every stored, unprocessed event about one Stripe object, the one path for every handled type:
 *  1. claim the events (one statement: an attempt counted on each, and a read ticket taken);
 *  2. read the object from Stripe, with no transaction and no lock held;
 *  3. one short transaction: the object's advisory lock, the write (only if no newer read was applied,
 *     read-ticket.ts), the PROCESSED marks and one audit entry per event.
 * Every event claimed was stored before the read began, so the state read is at least as new as each one
 * announced. A burst of events about one object is one job in the queue (deduplicated on the object) and
 * so one Stripe read. On failure the attempt and error are recorded and the error rethrown for the queue
 * to retry; a permanent one uses up the events' attempts.
 */
export async function processStripeObject(deps: Deps, ref: StripeObjectRef): Promise<ProcessResult> {
  const handler = objectHandler(ref.kind);
  const types = eventTypesOf(ref.kind);
  const claimed = await stripeEvents.claimForObject(deps.db.kysely, ref.objectId, types, MAX_EVENT_ATTEMPTS, MAX_COALESCED, handler.snapshot);
  if (!claimed) return { outcome: 'nothing_to_do', processed: [], lagMs: [] };
  const ids = claimed.events.map((event) => event.id);
  try {
    // Read back from the account the events came from: the platform's, or the app's own in that mode.
    const sdeps = await stripeForEventAccount(deps, claimed.account);
    const read = await handler.read(sdeps, ref.objectId, claimed.snapshot);
    const { handled, processed } = await inRetriedTransaction(deps, async (tx) => {
      const handled = await handler.apply(sdeps, tx, read, claimed.ticket);
      const processed = await stripeEvents.markProcessed(tx, ids, deps.clock.now());
      const first = processed[0]?.id;
      await recordAudits(
        tx,
        STRIPE_ACTOR,
        processed.map((event) => ({
          action: 'stripe.event.processed',
          targetType: 'stripe_event',
          targetId: event.id,
          details: { type: event.type, objectId: ref.objectId, ...handled.outcome, ...(event.id === first ? {} : { coalescedInto: first }) },
        })),
      );
      return { handled, processed };
    });
    const committedAt = deps.clock.now().getTime();
    if (handled.afterCommit) await handled.afterCommit();
    return {
      outcome: processed.length ? 'processed' : 'nothing_to_do',
      processed: processed.map((event) => event.id),
      lagMs: processed.map((event) => committedAt - event.receivedAt.getTime()),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A permanent failure uses up the events' attempts at once: they are left to an operator.
    await stripeEvents.markFailed(deps.db.kysely, ids, message, isPermanentFailure(error) ? MAX_EVENT_ATTEMPTS : undefined).catch(() => {});
    throw error;
  }
}
