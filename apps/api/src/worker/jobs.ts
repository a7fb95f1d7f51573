import { expireLapsedSubscriptions, isPermanentFailure, processStripeObject, pushCustomerToStripe, recordAudit } from '@aquoris/core';
import { UnrecoverableError, type Job } from 'bullmq';
import type { ApiDeps } from '../context.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { isJobName, parseJobPayload, type JobName, type JobPayload } from './job-types.ts';

const SYSTEM = { type: 'system', name: 'worker' } as const;

type JobMetrics = Pick<Metrics, 'webhookCommitted'> | undefined;

/** One job type → one core service, given the payload its schema parsed. */
const HANDLERS: { [N in JobName]: (deps: ApiDeps, payload: JobPayload<N>, metrics: JobMetrics) => Promise<unknown> } = {
  'stripe.object': async (deps, ref, metrics) => {
    const result = await processStripeObject(deps, ref);
    metrics?.webhookCommitted(result.lagMs);
    return result.outcome;
  },
  'stripe.customer.sync': (deps, { customerId }) => pushCustomerToStripe(deps, customerId),
  'subscriptions.expire': async (deps) => {
    const expired = await expireLapsedSubscriptions(deps);
    if (expired > 0) await recordAudit(deps.db.kysely, SYSTEM, { action: 'subscriptions.expired', details: { count: expired } });
    return { expired };
  },
};

function runHandler<N extends JobName>(deps: ApiDeps, name: N, payload: JobPayload<N>, metrics: JobMetrics): Promise<unknown> {
  return (HANDLERS[name] as (deps: ApiDeps, payload: JobPayload<N>, metrics: JobMetrics) => Promise<unknown>)(deps, payload, metrics);
}

/**
 * Runs one BullMQ job. A job of no known type, a payload its type's schema rejects, and a failure core
 * calls permanent (PermanentFailure) end the job at once (UnrecoverableError: BullMQ does not retry it);
 * any other error is transient, and BullMQ retries it with exponential backoff.
 */
export async function runJob(deps: ApiDeps, job: Pick<Job, 'name' | 'data'>, metrics?: JobMetrics): Promise<unknown> {
  const name = job.name;
  if (!isJobName(name)) throw new UnrecoverableError(`unknown job type ${JSON.stringify(name)}`);
  const parsed = parseJobPayload(name, job.data);
  if (!parsed.ok) throw new UnrecoverableError(`invalid ${name} payload: ${parsed.error}`);
  try {
    return await runHandler(deps, name, parsed.payload, metrics);
  } catch (error) {
    if (isPermanentFailure(error)) throw new UnrecoverableError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}
