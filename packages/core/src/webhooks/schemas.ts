import { z } from 'zod';

/** The 200 body of the Stripe webhook endpoint: what was done with the event. */
export const StripeWebhookAck = z
  .object({
    received: z.literal(true),
    action: z.enum(['enqueue', 'duplicate', 'ignored']).meta({
      description: '"enqueue": stored and queued; "duplicate": already processed; "ignored": a type the service does not handle',
    }),
  })
  .meta({ id: 'StripeWebhookAck', example: { received: true, action: 'enqueue' } });
export type StripeWebhookAck = z.infer<typeof StripeWebhookAck>;

/** What the webhook endpoint reads of a Stripe Event before verifying it: documented, not parsed (the signature covers the raw body). */
export const StripeEventBody = z
  .looseObject({ id: z.string().meta({ example: 'evt_123' }), object: z.literal('event'), type: z.string().meta({ example: 'invoice.paid' }) })
  .meta({ id: 'StripeEvent', description: 'A Stripe Event object, as Stripe sends it' });
