import { STRIPE_OBJECT_KINDS } from '@aquoris/core';
import { z } from 'zod';

/**
 * Every job the billing queue carries: its name and the schema of its payload. The producer (queue.ts)
 * can only add what this table allows, and the consumer (jobs.ts) parses each payload with it before
 * running anything: a job that does not parse is given up at once, never retried.
 */
export const JOB_TYPES = {
  /**
   * One Stripe object with stored events to apply (the event rows in PostgreSQL are the record; the job only
   * names the object). Deduplicated on the object (queue.ts): a burst of events about it is one job.
   */
  'stripe.object': z.strictObject({ kind: z.enum(STRIPE_OBJECT_KINDS), objectId: z.string().min(1).max(255) }),
  /** Push a customer's profile to its Stripe customer. */
  'stripe.customer.sync': z.strictObject({ customerId: z.string().min(1).max(255) }),
  /** Scheduled: MANUAL and TRIAL subscriptions past their period end become EXPIRED. */
  'subscriptions.expire': z.strictObject({}),
} as const;

export type JobName = keyof typeof JOB_TYPES;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_TYPES)[N]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_TYPES, name);
}

/** The job's payload checked against its type's schema, or why it does not fit. */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): { ok: true; payload: JobPayload<N> } | { ok: false; error: string } {
  // A scheduler's job carries no data at all; its type's schema decides whether that is fine.
  const parsed = JOB_TYPES[name].safeParse(data ?? {});
  return parsed.success ? { ok: true, payload: parsed.data as JobPayload<N> } : { ok: false, error: z.prettifyError(parsed.error) };
}
