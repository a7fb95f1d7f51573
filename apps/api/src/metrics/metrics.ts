import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { RequestDurations } from './request-durations.ts';

/** Counts kept by the eligibility cache itself (plain numbers: the hot path pays an increment, nothing more). */
export interface CacheCounts {
  readonly hits: number;
  readonly misses: number;
}

/** Job counts of the queue, as BullMQ's getJobCounts answers them. */
export type QueueCounts = Record<string, number>;

/**
 * One process's Prometheus metrics (its own registry, served by metrics/server.ts on METRICS_PORT).
 * The API and the worker each make one; an API with its worker in-process shares it with the worker.
 */
export interface Metrics {
  registry: Registry;
  /** One request answered: `route` is a template (`/api/v1/customers/:externalUserId`), never a raw path. */
  observeRequest(method: string | undefined, route: string, status: number, ms: number): void;
  jobFinished(name: string, outcome: 'completed' | 'failed' | 'failed_permanently'): void;
  /** Stripe events committed PROCESSED, each with its time from receipt to that commit. */
  webhookCommitted(lagMs: readonly number[]): void;
  /** Reads the eligibility cache's counts at each scrape. */
  watchEligibilityCache(cache: CacheCounts): void;
  /** Reads the queue's job counts at each scrape (a failed read leaves the gauge as it was). */
  watchQueue(counts: () => Promise<QueueCounts>): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'aqb_' });
  const requests = new RequestDurations();
  registry.registerMetric(requests as unknown as Metric);
  const jobs = new Counter({
    name: 'aqb_jobs_total',
    help: 'Job attempts finished by this process, by job type and outcome (failed: retried while attempts remain; failed_permanently: not retried)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const webhookLag = new Histogram({
    name: 'aqb_webhook_lag_seconds',
    help: 'Time from a Stripe event being received to its effect being committed',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  });
  const caches = new Set<CacheCounts>();
  const reported = { hits: 0, misses: 0 };
  const cacheLookups = new Counter({
    name: 'aqb_eligibility_cache_lookups_total',
    help: 'Eligibility answers served from memory (hit) or read from PostgreSQL (miss)',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      let hits = 0;
      let misses = 0;
      for (const cache of caches) {
        hits += cache.hits;
        misses += cache.misses;
      }
      this.inc({ result: 'hit' }, Math.max(0, hits - reported.hits));
      this.inc({ result: 'miss' }, Math.max(0, misses - reported.misses));
      Object.assign(reported, { hits, misses });
    },
  });
  cacheLookups.inc({ result: 'hit' }, 0);
  cacheLookups.inc({ result: 'miss' }, 0);
  const queues: Array<() => Promise<QueueCounts>> = [];
  new Gauge({
    name: 'aqb_queue_jobs',
    help: 'Jobs in the background queue by state (waiting, active, delayed, prioritized, failed)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      for (const read of queues) {
        const counts = await read().catch(() => null);
        for (const [state, count] of Object.entries(counts ?? {})) this.set({ state }, count);
      }
    },
  });

  return {
    registry,
    observeRequest: (method, route, status, ms) => requests.observe(method ?? 'OTHER', route, status, ms / 1000),
    jobFinished: (job, outcome) => jobs.inc({ job, outcome }),
    webhookCommitted(lagMs) {
      for (const ms of lagMs) webhookLag.observe(Math.max(0, ms) / 1000);
    },
    watchEligibilityCache: (cache) => void caches.add(cache),
    watchQueue: (counts) => void queues.push(counts),
  };
}
