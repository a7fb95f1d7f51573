import { expireLapsedSubscriptions, processStripeEvent, pushCustomerToStripe, recordAudit } from '@aquoris/core';
import type { Job } from 'bullmq';
import type { ApiDeps } from '../context.ts';
import { JOBS } from './queue.ts';

const SYSTEM = { type: 'system', name: 'worker' } as const;

/** One BullMQ job → one core service. Throwing makes BullMQ retry with exponential backoff. */
export async function runJob(deps: ApiDeps, job: Job): Promise<unknown> {
  switch (job.name) {
    case JOBS.stripeEvent: {
      const result = await processStripeEvent(deps, String(job.data.eventId));
      // Events settled with this one: drop their waiting jobs (an optimisation; one that still runs finds nothing to do).
      if (result.settled.length) await deps.queue.discardStripeEventJobs(result.settled);
      return result.outcome;
    }
    case JOBS.customerSync:
      return pushCustomerToStripe(deps, String(job.data.customerId));
    case JOBS.expireSubscriptions: {
      const expired = await expireLapsedSubscriptions(deps);
      if (expired > 0) await recordAudit(deps.db.kysely, SYSTEM, { action: 'subscriptions.expired', details: { count: expired } });
      return { expired };
    }
    default:
      throw new Error(`unknown job ${job.name}`);
  }
}
