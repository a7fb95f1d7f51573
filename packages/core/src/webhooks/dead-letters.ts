import { createHash } from 'node:crypto';
import { stripeEvents } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { describeIssues, parseInput } from '../validation.ts';
import { isHandledStripeEvent, stripeObjectKindOf, type StripeObjectRef } from './handlers.ts';
import {
  ListFailedStripeEventsInput,
  RetryStripeEventInput,
  StripeEventEnvelope,
  type FailedStripeEventView,
  type ListFailedStripeEventsInput as ListInput,
  type RetryStripeEventInput as RetryInput,
} from './schemas.ts';

/**
 * After this many attempts an event is dead-lettered: it stays FAILED, and neither the sweeper nor a later
 * event of its object takes it; an operator sees it (`webhooks:failed`) and may retry it (`webhooks:retry`).
 * Every attempt counts: each claim by the worker, and each time the sweeper could not queue it.
 */
export const MAX_EVENT_ATTEMPTS = 25;

const text = (value: unknown, max: number) => (typeof value === 'string' && value.length > 0 && value.length <= max ? value : null);

/**
 * Stores a signed event that cannot be applied, dead-lettered with `reason`: under its own id when that is a
 * usable key, else under one derived from the body (a redelivery of the same body is the same row).
 */
export async function recordRejectedStripeEvent(deps: Pick<Deps, 'db' | 'clock'>, event: unknown, payload: string, reason: string, attempts: number) {
  const fields = (event ?? {}) as { id?: unknown; type?: unknown; created?: unknown };
  const receivedAt = deps.clock.now();
  const created = typeof fields.created === 'number' && Number.isSafeInteger(fields.created) && fields.created > 0 ? new Date(fields.created * 1000) : null;
  await stripeEvents.recordRejected(deps.db.kysely, {
    id: text(fields.id, 255) ?? `invalid_${createHash('sha256').update(payload).digest('hex').slice(0, 32)}`,
    type: text(fields.type, 255) ?? '(none)',
    payload,
    stripeCreatedAt: created && !Number.isNaN(created.getTime()) ? created : receivedAt,
    receivedAt,
    lastError: reason,
    attempts,
  });
}

/** The failed Stripe events, newest first: the dead letters, or with `all` also those the worker still retries. */
export async function listFailedStripeEvents(deps: Pick<Deps, 'db'>, raw: ListInput): Promise<{ events: FailedStripeEventView[]; nextCursor: string | null }> {
  const input = parseInput(ListFailedStripeEventsInput, raw);
  const rows = await stripeEvents.listFailed(deps.db.kysely, input.all ? 0 : MAX_EVENT_ATTEMPTS, decodeCursor(input.cursor), input.limit + 1);
  const page = toPage(
    rows.map((row) => ({ ...row, createdAt: row.receivedAt })),
    input.limit,
  );
  return {
    events: page.rows.map((row) => ({
      id: row.id,
      type: row.type,
      objectId: row.objectId,
      attempts: row.attempts,
      deadLettered: row.attempts >= MAX_EVENT_ATTEMPTS,
      lastError: row.lastError,
      stripeCreatedAt: row.stripeCreatedAt.toISOString(),
      receivedAt: row.receivedAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

/**
 * An operator's retry of a FAILED event: its attempts back, RECEIVED again, with one audit entry. Returns
 * the object to queue (the caller queues it; if that fails, the sweeper will). A malformed event cannot be
 * retried: nothing in it names an object to apply.
 */
export async function retryStripeEvent(deps: Pick<Deps, 'db'>, actor: OperatorActor, raw: RetryInput): Promise<{ eventId: string; object: StripeObjectRef }> {
  const { eventId } = parseInput(RetryStripeEventInput, raw);
  const row = await stripeEvents.findById(deps.db.kysely, eventId);
  if (!row) throw new AppError('STRIPE_EVENT_NOT_FOUND', `No stored Stripe event ${eventId}`);
  if (row.status !== 'FAILED')
    throw new AppError('STRIPE_EVENT_NOT_RETRYABLE', `Stripe event ${eventId} is ${row.status}, not FAILED: there is nothing to retry`);
  const parsed = StripeEventEnvelope.safeParse(row.payload);
  if (!parsed.success || !isHandledStripeEvent(parsed.data.type) || !row.objectId) {
    const why = parsed.success ? 'it names no object the service applies' : describeIssues(parsed.error.issues);
    throw new AppError('STRIPE_EVENT_NOT_RETRYABLE', `Stripe event ${eventId} is malformed and can never be applied (${why})`);
  }
  const object = { kind: stripeObjectKindOf(parsed.data.type), objectId: row.objectId };
  await deps.db.transaction(async (tx) => {
    if (!(await stripeEvents.resetForRetry(tx, eventId)))
      throw new AppError('STRIPE_EVENT_NOT_RETRYABLE', `Stripe event ${eventId} changed meanwhile; look again`);
    await recordAudit(tx, actor, {
      action: 'stripe.event.retried',
      targetType: 'stripe_event',
      targetId: eventId,
      details: { type: row.type, objectId: row.objectId, attempts: row.attempts, lastError: row.lastError },
    });
  });
  return { eventId, object };
}
