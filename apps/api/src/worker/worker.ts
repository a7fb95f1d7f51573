import { findCustomersToSync, sweepStripeEvents } from '@aquoris/core';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ApiDeps } from '../context.ts';
import type { Env } from '../env.ts';
import type { ErrorTracker } from '../error-tracking.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { runJob } from './jobs.ts';
import type { JobName } from './job-types.ts';
import { QUEUE_NAME, queuePrefix } from './queue.ts';

const EXPIRY_SCHEDULER_ID = 'expire-lapsed-subscriptions';

/** How long close waits for the worker's Redis connections to come back before closing without them. */
const CLOSE_RECONNECT_WAIT_MS = 3_000;

/** What close needs of a Redis client (ioredis's, or the one BullMQ made for blocking reads). */
interface RedisStatusClient {
  status: string;
  once(event: 'ready', listener: () => void): unknown;
  removeListener(event: 'ready', listener: () => void): unknown;
}

/** Whether every client is ready (or closed) now or becomes so within `ms`. */
async function connectionsReady(clients: ReadonlyArray<RedisStatusClient | undefined>, ms: number): Promise<boolean> {
  const settled = (client: RedisStatusClient) => client.status === 'ready' || client.status === 'end';
  const waits = clients.map((client) => {
    if (!client || settled(client)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        client.removeListener('ready', onReady);
        resolve(ok);
      };
      client.once('ready', onReady);
    });
  });
  return (await Promise.all(waits)).every(Boolean);
}

export interface BillingWorker {
  /** Re-queues events stored but unprocessed, and customer syncs not done, for longer than one sweep interval; returns how many events were found. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The BullMQ worker: Stripe events, customer syncs and the expiry job, plus
 * the sweeper. The sweeper is a timer in the worker process rather than a
 * queued job on purpose: it must keep running while Redis is away, to re-queue
 * what was stored in PostgreSQL during the outage once Redis is back.
 */
export interface WorkerObservers {
  metrics?: Metrics;
  /** Told of a job's final failure (permanent, or out of attempts); a failure that will be retried is only logged. */
  errorTracker?: ErrorTracker;
}

export async function startBillingWorker(deps: ApiDeps, env: Env, { metrics, errorTracker }: WorkerObservers = {}): Promise<BillingWorker> {
  const log = deps.log.child({ component: 'worker' });
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  connection.on('error', (err) => log.debug({ err }, 'worker redis connection error'));
  const worker = new Worker(QUEUE_NAME, (job) => runJob(deps, job, metrics), {
    connection,
    prefix: queuePrefix(env),
    concurrency: env.WORKER_CONCURRENCY,
    lockDuration: env.WORKER_LOCK_DURATION_MS,
    stalledInterval: env.WORKER_LOCK_DURATION_MS,
    maxStalledCount: 5,
  });
  worker.on('failed', (job, err) => {
    const permanent = err instanceof UnrecoverableError;
    log.warn({ err, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, permanent }, 'job failed');
    metrics?.jobFinished(job?.name ?? 'unknown', permanent ? 'failed_permanently' : 'failed');
    const final = permanent || (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1));
    if (final) errorTracker?.capture(err, { job: job?.name, jobId: job?.id, attempts: job?.attemptsMade });
  });
  worker.on('completed', (job) => metrics?.jobFinished(job.name, 'completed'));
  worker.on('error', (err) => log.debug({ err }, 'worker error'));
  await worker.waitUntilReady();

  const ensureExpiryScheduler = async () => {
    if (await deps.queue.queue.getJobScheduler(EXPIRY_SCHEDULER_ID)) return;
    await deps.queue.queue.upsertJobScheduler(
      EXPIRY_SCHEDULER_ID,
      { every: env.SUBSCRIPTION_EXPIRY_INTERVAL_MS },
      { name: 'subscriptions.expire' satisfies JobName },
    );
  };

  const sweepCustomers = async () => {
    // Profile changes Stripe has not received yet (the queue was down, or the retries ran out while Stripe was).
    const customers = deps.stripe ? await findCustomersToSync(deps, env.WEBHOOK_SWEEP_INTERVAL_MS) : [];
    let queued = 0;
    for (const customer of customers) {
      await deps.queue.enqueueCustomerSync(customer.id, customer.requestedAt).then(
        () => queued++,
        (err: unknown) => log.warn({ err, customerId: customer.id }, 'sweeper could not queue a customer sync'),
      );
    }
    if (customers.length) log.info({ customers: customers.length, queued }, 'sweeper re-queued Stripe customer syncs');
  };

  /** Each part on its own: a failure in one (an event that cannot be queued, the database away) never skips the others. */
  const sweepOnce = async (): Promise<number> => {
    let events = 0;
    try {
      const report = await sweepStripeEvents(
        deps,
        { enqueue: (ref) => deps.queue.enqueueStripeObject(ref), isUp: () => deps.queue.isUp() },
        env.WEBHOOK_SWEEP_INTERVAL_MS,
      );
      events = report.events;
      if (report.events) log.info(report, 'sweeper re-queued the objects of unprocessed Stripe events');
      if (report.deadLettered) log.warn({ deadLettered: report.deadLettered }, 'Stripe events dead-lettered: see webhooks:failed');
    } catch (err) {
      log.warn({ err }, 'sweep of Stripe events failed (will try again)');
    }
    await sweepCustomers().catch((err: unknown) => log.warn({ err }, 'sweep of customer syncs failed (will try again)'));
    // A flushed Redis loses the expiry schedule too: put it back.
    await ensureExpiryScheduler().catch((err: unknown) => log.warn({ err }, 'could not restore the expiry schedule (will try again)'));
    return events;
  };

  let sweeping: Promise<number> | null = null;
  const sweep = () => {
    sweeping ??= sweepOnce().finally(() => {
      sweeping = null;
    });
    return sweeping;
  };
  const timer = setInterval(() => {
    sweep().catch((err: unknown) => log.warn({ err }, 'sweep failed (will try again)'));
  }, env.WEBHOOK_SWEEP_INTERVAL_MS);
  timer.unref();
  await ensureExpiryScheduler().catch((err: unknown) => log.warn({ err }, 'could not schedule the expiry job yet'));

  return {
    sweep,
    async close() {
      clearInterval(timer);
      await sweeping?.catch(() => {});
      // ioredis never emits 'end' for a client disconnected while it waits to reconnect, and BullMQ's graceful
      // close waits for that 'end': closed just after a Redis restart, it hung for ever. So wait (bounded) for the
      // worker's connections to be ready again; if Redis stays away, close without waiting on them (force). A job
      // cut short is safe: its events stay unprocessed in PostgreSQL and the sweeper queues them again.
      const ready = await connectionsReady([connection, await worker.backend.blockingClient], CLOSE_RECONNECT_WAIT_MS);
      await worker.close(!ready);
      if (ready) await connection.quit().catch(() => connection.disconnect());
      else connection.disconnect();
    },
  };
}
