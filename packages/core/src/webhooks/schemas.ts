import { z } from 'zod';
import { Cursor, PageSize } from '../pagination.ts';

/** The 200 body of the Stripe webhook endpoint: what was done with the event. */
export const StripeWebhookAck = z
  .object({
    received: z.literal(true),
    action: z.enum(['enqueue', 'duplicate', 'ignored', 'failed']).meta({
      description:
        '"enqueue": stored and queued; "duplicate": already processed; "ignored": a type the service does not handle; "failed": signed but malformed, recorded as failed and not applied (see reason)',
    }),
    reason: z.string().optional().meta({ description: 'Why the event was recorded as failed (with "failed" only)' }),
  })
  .meta({ id: 'StripeWebhookAck', example: { received: true, action: 'enqueue' } });
export type StripeWebhookAck = z.infer<typeof StripeWebhookAck>;

/** What the webhook endpoint reads of a Stripe Event before verifying it: documented, not parsed (the signature covers the raw body). */
export const StripeEventBody = z
  .looseObject({ id: z.string().meta({ example: 'evt_123' }), object: z.literal('event'), type: z.string().meta({ example: 'invoice.paid' }) })
  .meta({ id: 'StripeEvent', description: 'A Stripe Event object, as Stripe sends it' });

/** Stripe's ids: a lowercase prefix, an underscore, then letters, digits, underscores or dashes (evt_…, sub_…, in_…, ch_…, cs_test_…). */
const stripeId = (what: string, prefix: string) =>
  z
    .string()
    .max(255)
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]+$`), `not a Stripe ${what} id`);

/**
 * What a signed event about one of the handled types must carry to be applied. A signed event that does not fit
 * (a malformed id, missing fields) is recorded as failed with the reason and answered 200: retrying it cannot help.
 */
export const StripeEventEnvelope = z.looseObject({
  id: stripeId('event', 'evt'),
  type: z.string().min(1).max(255),
  created: z.number().int().positive(),
  data: z.looseObject({ object: z.looseObject({ id: stripeId('object', '[a-z]+') }) }),
});
export type StripeEventEnvelope = z.infer<typeof StripeEventEnvelope>;

const EVENT_ID = /^evt_[A-Za-z0-9_-]+$/;
const OBJECT_ID = /^[a-z]+_[A-Za-z0-9_-]+$/;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown, pattern: RegExp): value is string => typeof value === 'string' && value.length <= 255 && pattern.test(value);

/**
 * StripeEventEnvelope's rules checked by hand: every event the endpoint receives passes here, and zod's walk of a
 * loose object costs more than the check (a few per cent of the endpoint's CPU). Only an event that fails is
 * parsed by the schema, for its issues. The event itself is returned: the envelope is loose, nothing is stripped.
 */
export function parseStripeEventEnvelope(event: unknown): ReturnType<typeof StripeEventEnvelope.safeParse> {
  if (isRecord(event) && isId(event.id, EVENT_ID) && typeof event.type === 'string' && event.type.length >= 1 && event.type.length <= 255) {
    const { created, data } = event;
    if (
      typeof created === 'number' &&
      Number.isSafeInteger(created) &&
      created > 0 &&
      isRecord(data) &&
      isRecord(data.object) &&
      isId(data.object.id, OBJECT_ID)
    ) {
      return { success: true, data: event as StripeEventEnvelope };
    }
  }
  return StripeEventEnvelope.safeParse(event);
}

/** `webhooks:failed`: the dead letters (events that used up their attempts), or with `all` every FAILED event. */
export const ListFailedStripeEventsInput = z.strictObject({
  all: z.boolean().default(false),
  cursor: Cursor.optional(),
  limit: PageSize,
});
export type ListFailedStripeEventsInput = z.input<typeof ListFailedStripeEventsInput>;

export const FailedStripeEventView = z.strictObject({
  id: z.string(),
  type: z.string(),
  objectId: z.string().nullable(),
  attempts: z.number().int(),
  /** Used up its attempts: neither the sweeper nor a later event of its object takes it, only an operator's retry. */
  deadLettered: z.boolean(),
  lastError: z.string().nullable(),
  stripeCreatedAt: z.iso.datetime(),
  receivedAt: z.iso.datetime(),
});
export type FailedStripeEventView = z.infer<typeof FailedStripeEventView>;

export const RetryStripeEventInput = z.strictObject({ eventId: z.string().min(1).max(255) });
export type RetryStripeEventInput = z.input<typeof RetryStripeEventInput>;
