import { stripeEvents } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import { MAX_EVENT_ATTEMPTS } from './dead-letters.ts';
import { isHandledStripeEvent, stripeObjectKindOf, type StripeObjectRef } from './handlers.ts';

export interface StripeSweepReport {
  /** Events found stored and unprocessed for longer than the interval. */
  events: number;
  /** Objects queued again. */
  queued: number;
  /** Objects whose queueing failed (an attempt counted on each of their events). */
  failed: number;
  /** Events that used up their attempts in this sweep. */
  deadLettered: number;
  /** Set when the queue itself was down: nothing was counted, the next sweep tries again. */
  queueDown?: true;
}

export interface SweepQueue {
  enqueue(ref: StripeObjectRef): Promise<void>;
  /** Whether the queue answers at all: a failure while it does not is an outage, not the event's fault. */
  isUp(): Promise<boolean>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Queues again the objects of events stored but not processed for longer than `olderThanMs` (Redis was
 * down or flushed, a worker died). Each object on its own: one that cannot be queued does not stop the
 * others, and costs each of its events an attempt, so an event that never can be is dead-lettered after
 * MAX_EVENT_ATTEMPTS instead of staying first in line. An event that names nothing to apply is
 * dead-lettered at once. While the queue is down altogether nothing is counted (the outage is not the events').
 */
export async function sweepStripeEvents(deps: Pick<Deps, 'db' | 'clock'>, queue: SweepQueue, olderThanMs: number, limit = 200): Promise<StripeSweepReport> {
  const db = deps.db.kysely;
  const events = await stripeEvents.findToSweep(db, new Date(deps.clock.now().getTime() - olderThanMs), MAX_EVENT_ATTEMPTS, limit);
  const report: StripeSweepReport = { events: events.length, queued: 0, failed: 0, deadLettered: 0 };
  const unusable = events.filter((event) => !event.objectId || !isHandledStripeEvent(event.type)).map((event) => event.id);
  if (unusable.length) {
    await stripeEvents.markFailed(db, unusable, 'names no Stripe object the service applies', MAX_EVENT_ATTEMPTS);
    report.deadLettered += unusable.length;
  }
  const objects = new Map<string, { ref: StripeObjectRef; ids: string[] }>();
  for (const event of events) {
    if (!event.objectId || !isHandledStripeEvent(event.type)) continue;
    const ref = { kind: stripeObjectKindOf(event.type), objectId: event.objectId };
    const key = `${ref.kind}:${ref.objectId}`;
    const entry = objects.get(key) ?? objects.set(key, { ref, ids: [] }).get(key)!;
    entry.ids.push(event.id);
  }
  for (const { ref, ids } of objects.values()) {
    try {
      await queue.enqueue(ref);
      report.queued++;
    } catch (error) {
      if (!(await queue.isUp().catch(() => false))) return { ...report, queueDown: true };
      report.failed++;
      const counted = await stripeEvents.recordFailedAttempt(db, ids, `could not be queued: ${messageOf(error)}`);
      report.deadLettered += counted.filter((event) => event.attempts >= MAX_EVENT_ATTEMPTS).length;
    }
  }
  return report;
}
