import type { StripeObjectRef } from '@aquoris/core';
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Env } from '../env.ts';
import type { JobName, JobPayload } from './job-types.ts';

export const QUEUE_NAME = 'billing';

/** Attempts per job before the queue gives up on a transient failure (the sweeper still re-queues unprocessed events). A permanent one gets one. */
export const JOB_ATTEMPTS = 8;

/** Every queue key lives under REDIS_KEY_PREFIX, so processes (and parallel test files) with different prefixes never share a queue. */
export const queuePrefix = (env: Pick<Env, 'REDIS_KEY_PREFIX'>) => `${env.REDIS_KEY_PREFIX}:bull`;

export interface BillingQueue {
  queue: Queue;
  /**
   * Queues the application of a Stripe object's stored events. One job per object: an add while its job
   * waits is folded into it; an add while it runs leaves one follow-up job (BullMQ's keepLastIfActive).
   */
  enqueueStripeObject(ref: StripeObjectRef): Promise<void>;
  /** Queues the push of a customer's profile to Stripe for the change recorded at `requestedAt` (one job per change). */
  enqueueCustomerSync(customerId: string, requestedAt: Date): Promise<void>;
  /** Jobs by state (waiting, active, delayed, prioritized, failed), for the queue-depth metric. */
  counts(): Promise<Record<string, number>>;
  /** Whether Redis answers the queue's connection now (a ping within a second). */
  isUp(): Promise<boolean>;
  close(): Promise<void>;
}

/** Fails instead of waiting when Redis is away: the event is safe in PostgreSQL and the sweeper will queue it. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The only way a job is added: its payload must be its type's (job-types.ts). */
function addJob<N extends JobName>(queue: Queue, name: N, payload: JobPayload<N>, options: JobsOptions = {}) {
  return withTimeout(queue.add(name, payload, options), 1_500, 'enqueue');
}

export function createBillingQueue(env: Env, log: Logger): BillingQueue {
  const connection = new Redis(env.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2_000, enableAutoPipelining: true });
  connection.on('error', (err) => log.debug({ err }, 'queue redis connection error'));
  const queue = new Queue(QUEUE_NAME, {
    connection,
    prefix: queuePrefix(env),
    defaultJobOptions: {
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: env.WORKER_RETRY_BASE_MS },
      // Finished jobs are not kept: PostgreSQL is the record, and a kept job id would block re-queueing.
      removeOnComplete: true,
      removeOnFail: true,
    },
  });
  queue.on('error', (err) => log.debug({ err }, 'queue error'));
  return {
    queue,
    async enqueueStripeObject(ref) {
      // Deduplicated on the object, not a job id: a run already past its claim would miss an event stored
      // meanwhile, so an add during a run must still leave one job to follow it.
      await addJob(queue, 'stripe.object', ref, { deduplication: { id: `stripe-${ref.kind}-${ref.objectId}`, keepLastIfActive: true } });
    },
    async enqueueCustomerSync(customerId, requestedAt) {
      // One job per recorded change: a newer change is never swallowed by a job that already read the old
      // values, and the sweeper re-queueing a change that is still waiting adds nothing.
      await addJob(queue, 'stripe.customer.sync', { customerId }, { jobId: `customer-${customerId}-${requestedAt.getTime()}` });
    },
    counts: () => withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'), 1_500, 'job counts'),
    async isUp() {
      return withTimeout(connection.ping(), 1_000, 'ping').then(
        () => true,
        () => false,
      );
    },
    async close() {
      await queue.close().catch(() => {});
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
