import type { PreparedStatement } from '@aquoris/db';
import type Stripe from 'stripe';
import { callStripe, type StripeDeps } from '../stripe/gateway.ts';
import { subscriptionPriceId } from '../stripe/mapping.ts';
import { mirroredFields, mirroredValues, subscriptionLockKey } from '../subscriptions/stripe-sync.ts';
import { STRIPE_ACTOR } from './handlers.ts';

// One statement, in its own implicit transaction, that settles a subscription event whose re-read found
// nothing new. In order (each step's InitPlan gates the next):
//  1. the event, locked unless already processed (a concurrent worker on the same event: wait, then see it);
//  2. our row for the subscription, only if the subscription's advisory lock is free right now (TRY: never
//     waits, so a writer reading Stripe under it makes this step find nothing) and the row, locked FOR
//     UPDATE (so the newest committed version is the one compared), mirrors every field of the state read;
//  3. the siblings listed before the read, SKIP LOCKED;
//  4. the PROCESSED marks and one audit entry per event, the same entries the locked path writes.
// When step 2 finds nothing, nothing is written and the caller takes the locked path. The row is found by its
// unique Stripe id (the field comparison is one row comparison, which no index serves, so the planner cannot
// pick another index), and the marks join the settled ids (an IN list got a generic plan scanning the table).
const SETTLE_UNCHANGED_SQL: PreparedStatement = {
  name: 'stripe_event_settle_unchanged_v2',
  text: `WITH event AS (SELECT id FROM stripe_events WHERE id = $1 AND status <> 'PROCESSED' FOR UPDATE),
         sub AS (SELECT s.id, s.status::text AS status FROM subscriptions s JOIN plans p ON p.id = s."planId"
                 WHERE EXISTS (SELECT 1 FROM event) AND s."stripeSubscriptionId" = $2 AND p."stripePriceId" = $3
                   AND (s.status, s."currentPeriodStart", s."currentPeriodEnd", s."trialEnd", s."cancelAtPeriodEnd", s."canceledAt", s."endedAt")
                       IS NOT DISTINCT FROM ($4::"SubscriptionStatus", $5::timestamptz, $6::timestamptz, $7::timestamptz, $8::boolean, $9::timestamptz, $10::timestamptz)
                   AND pg_try_advisory_xact_lock(hashtextextended($11, 0))
                 FOR UPDATE OF s),
         siblings AS (SELECT id FROM stripe_events
                      WHERE EXISTS (SELECT 1 FROM sub) AND id = ANY($12::text[]) AND "objectId" = $2 AND status <> 'PROCESSED'
                      FOR UPDATE SKIP LOCKED),
         done AS (UPDATE stripe_events e SET status = 'PROCESSED', "processedAt" = $13, "lastError" = NULL
                  FROM (SELECT id FROM event WHERE EXISTS (SELECT 1 FROM sub) UNION ALL SELECT id FROM siblings) settled
                  WHERE e.id = settled.id
                  RETURNING e.id, e.type),
         audit AS (INSERT INTO audit_logs (id, "actorType", "actorId", action, "targetType", "targetId", details, "createdAt")
                   SELECT gen_random_uuid()::text, 'STRIPE', $14, 'stripe.event.processed', 'stripe_event', done.id,
                     jsonb_build_object('type', done.type, 'objectId', $2::text, 'subscriptionId', sub.id, 'status', sub.status, 'changed', '[]'::jsonb)
                       || CASE WHEN done.id = $1 THEN '{}'::jsonb ELSE jsonb_build_object('coalescedInto', $1::text) END,
                     $13
                   FROM done, sub)
         SELECT EXISTS (SELECT 1 FROM event) AS open, EXISTS (SELECT 1 FROM sub) AS unchanged,
                ARRAY(SELECT id FROM done WHERE id <> $1) AS settled`,
};

/**
 * The latest Stripe read of each subscription in this process (per Stripe client), in flight or done, with
 * the ticket taken as it began. A worker may use a read only if it began after the worker's own ticket,
 * taken once its event was stored: then the read is as new as the event. So a burst handled by several
 * workers of one process costs one Stripe read, not one each. Bounded; a failed read is forgotten.
 */
const latestReads = new WeakMap<object, Map<string, { ticket: number; read: Promise<Stripe.Subscription> }>>();
const MAX_REMEMBERED_READS = 1_000;
let lastTicket = 0;

/** Take before reading the event's row: reads that begin later are new enough for it. */
export function takeReadTicket(): number {
  return ++lastTicket;
}

function readSubscriptionSince(deps: StripeDeps, stripeSubscriptionId: string, since: number): Promise<Stripe.Subscription> {
  let reads = latestReads.get(deps.stripe);
  if (!reads) latestReads.set(deps.stripe, (reads = new Map()));
  const latest = reads.get(stripeSubscriptionId);
  if (latest && latest.ticket > since) return latest.read;
  const ticket = takeReadTicket();
  const read = callStripe(deps, 'subscription retrieve', () => deps.stripe.subscriptions.retrieve(stripeSubscriptionId));
  read.catch(() => {
    if (reads.get(stripeSubscriptionId)?.ticket === ticket) reads.delete(stripeSubscriptionId);
  });
  reads.delete(stripeSubscriptionId);
  if (reads.size >= MAX_REMEMBERED_READS) reads.delete(reads.keys().next().value!);
  reads.set(stripeSubscriptionId, { ticket, read });
  return read;
}

export type SettleUnchangedResult =
  /** Settled: the event (and `settled`) committed PROCESSED with their audit entries. */
  | { outcome: 'processed'; settled: string[] }
  /** Another worker processed it meanwhile. */
  | { outcome: 'already_processed' }
  /** Stripe's state differs from our row, a writer holds the subscription's lock, or the row is not ours yet: take the locked path. */
  | { outcome: 'needs_locked_path' };

/**
 * The cheap path for a subscription event: read Stripe first, without a lock
 * or a transaction, and if our row already mirrors what Stripe returned,
 * settle the event and the siblings listed before the read (`candidates`) in
 * one statement. Every one of them was stored before the read began, so the
 * state read is at least as new as any of them announced; the statement
 * compares against the newest committed row (FOR UPDATE) and only while no
 * writer holds the subscription's lock, so a write in progress is never
 * overtaken. This is the common case under bursts and redeliveries: three
 * round trips instead of nine. Anything else is left to the locked path.
 * Workers of one process share a read that began after their event was
 * stored (`readTicket`, see latestReads).
 */
export async function settleIfStripeUnchanged(
  deps: StripeDeps,
  event: { id: string; stripeSubscriptionId: string; candidates: string[]; readTicket: number },
): Promise<SettleUnchangedResult> {
  const { id: eventId, stripeSubscriptionId, candidates } = event;
  const sub = await readSubscriptionSince(deps, stripeSubscriptionId, event.readTicket);
  const priceId = subscriptionPriceId(sub);
  if (!priceId) return { outcome: 'needs_locked_path' };
  const [row] = await deps.db.sql.query<{ open: boolean; unchanged: boolean; settled: string[] }>(SETTLE_UNCHANGED_SQL, [
    eventId,
    stripeSubscriptionId,
    priceId,
    ...mirroredValues(mirroredFields(sub)),
    subscriptionLockKey(stripeSubscriptionId),
    candidates,
    deps.clock.now(),
    STRIPE_ACTOR.name,
  ]);
  if (!row?.open) return { outcome: 'already_processed' };
  if (!row.unchanged) return { outcome: 'needs_locked_path' };
  return { outcome: 'processed', settled: row.settled };
}
