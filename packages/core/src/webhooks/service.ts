import type { Prisma } from '@aquoris/db';
import { recordAudit } from '../audit/service.ts';
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

/**
 * The webhook endpoint's one write: the event, durably, under Stripe's unique
 * event id. A redelivery is harmless (ON CONFLICT DO NOTHING). Unhandled types
 * are acknowledged without being stored.
 */
export async function recordStripeEvent(deps: Pick<Deps, 'db' | 'clock'>, event: VerifiedStripeEvent): Promise<RecordOutcome> {
  if (!isHandledStripeEvent(event.type)) return { action: 'ignored' };
  const { count } = await deps.db.stripeEvent.createMany({
    data: [{ id: event.id, type: event.type, payload: event as unknown as Prisma.InputJsonValue, stripeCreatedAt: new Date(event.created * 1000), receivedAt: deps.clock.now() }],
    skipDuplicates: true,
  });
  if (count === 1) return { action: 'enqueue' };
  const existing = await deps.db.stripeEvent.findUnique({ where: { id: event.id }, select: { status: true } });
  return existing?.status === 'PROCESSED' ? { action: 'duplicate' } : { action: 'enqueue' };
}

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
  await deps.db.stripeEvent.updateMany({ where: { id: eventId }, data: { attempts: { increment: 1 } } });
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
      await tx.stripeEvent.update({ where: { id: eventId }, data: { status: 'PROCESSED', processedAt: deps.clock.now(), lastError: null } });
      await recordAudit(tx, STRIPE_ACTOR, { action: 'stripe.event.processed', targetType: 'stripe_event', targetId: eventId, details: { type: row.type, objectId: object.id, ...result.outcome } });
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
