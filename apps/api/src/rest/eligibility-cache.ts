import { eligibilityChangesSince, eligibilitySnapshot, type Clock, type Deps, type EligibilityEntry } from '@aquoris/core';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';

export const ELIGIBILITY_CHANNEL = 'aqb_eligibility';
/** Payload prefix of a sync marker (`sync()`); cache keys start with an app id, never with this. */
const SYNC_PREFIX = '~sync:';
/**
 * How far before the notification connection was lost a resync looks for changes: `updatedAt` is its
 * transaction's start, and a change committed just before the loss may not have been delivered.
 */
export const RESYNC_MARGIN_MS = 60_000;
/** How the notification connection shows in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'aquoris-eligibility-listener';

interface Entry {
  body: string;
  expiresAt: number;
}

export interface EligibilityCacheOptions {
  databaseUrl: string;
  clock: Clock;
  log: Logger;
  /** Upper bound on how long an answer is served without a re-read (notifications normally evict far sooner). */
  ttlMs: number;
  maxEntries: number;
  /** Load every current subscription at start-up, so the first requests are served from memory. */
  warm: boolean;
}

/**
 * Serialized eligibility answers per (app, external user), in this process.
 *
 * Correctness rests on PostgreSQL, not on timing: triggers NOTIFY on every
 * change to subscriptions or plans (migration `eligibility_notifications`),
 * and this cache LISTENs on a dedicated connection. When that connection
 * drops (PostgreSQL restarting, a partition), the cache keeps serving what it
 * holds, each answer up to its TTL, but stores nothing new; once reconnected
 * it resyncs: it drops every answer whose subscriptions (or any plan) changed
 * since shortly before the loss (`eligibilityChangesSince`), then serves and
 * stores again. A read that overlaps an invalidation is not stored (the
 * generation guard), and an answer that depends on a manual or trial grant
 * expires when that grant lapses.
 */
export class EligibilityCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private listener: pg.Client | undefined;
  /** Notifications are arriving: new answers may be stored. */
  private healthy = false;
  private db: Deps['db'] | undefined;
  /** Database time at which the listener connected, and performance.now() then: to date a loss in the database's clock. */
  private connectedAt: { dbTime: number; perf: number } | undefined;
  /** Database time from which changes were missed (set on a loss, cleared by a successful resync). */
  private missedSince: number | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly syncWaiters = new Map<string, () => void>();
  /** Answers served from memory and answers read from PostgreSQL (the metrics read them at each scrape). */
  hits = 0;
  misses = 0;

  constructor(private readonly options: EligibilityCacheOptions) {}

  static key(appId: string, externalUserId: string): string {
    return `${appId}|${externalUserId}`;
  }

  /** Whether notifications are arriving (new answers are stored); while not, held answers are served up to their TTL. */
  get isServing(): boolean {
    return this.healthy;
  }

  get size(): number {
    return this.entries.size;
  }

  async start(deps: Pick<Deps, 'db' | 'clock'>): Promise<void> {
    this.db = deps.db;
    await this.connect();
    if (this.options.warm && this.healthy) await this.warm(deps);
  }

  /** The cached body, or undefined. */
  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    this.hits++;
    return entry.body;
  }

  /** Serves from memory, or loads with `load` and keeps the answer unless an invalidation overlapped the read. */
  async read(key: string, load: () => Promise<EligibilityEntry>): Promise<string> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    this.misses++;
    const entry = await load();
    const body = JSON.stringify(entry.response);
    if (this.healthy && generation === this.generation) this.store(key, entry, body);
    return body;
  }

  private store(key: string, entry: EligibilityEntry, body: string): void {
    const now = this.options.clock.now().getTime();
    const expiresAt = Math.min(now + this.options.ttlMs, entry.validUntil?.getTime() ?? Number.POSITIVE_INFINITY);
    if (expiresAt <= now) return;
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { body, expiresAt });
  }

  /**
   * Resolves once every change committed before the call has reached this
   * cache. It sends a marker on the channel and waits for it to come back:
   * PostgreSQL delivers notifications in commit order, so the marker arrives
   * after every earlier one. For callers that must read their own write
   * through the cache at once (the test harness); requests never wait on it.
   */
  async sync(timeoutMs = 5_000): Promise<void> {
    const client = this.listener;
    if (!this.healthy || !client) return; // not listening: nothing can arrive (held answers resync on reconnect)
    const token = `${SYNC_PREFIX}${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve, reject) => {
      this.syncWaiters.set(token, resolve);
      timer = setTimeout(() => reject(new Error(`eligibility cache: sync marker not received within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await client.query('SELECT pg_notify($1, $2)', [ELIGIBILITY_CHANNEL, token]);
      await arrived;
    } finally {
      clearTimeout(timer);
      this.syncWaiters.delete(token);
    }
  }

  invalidate(payload: string): void {
    if (payload.startsWith(SYNC_PREFIX)) {
      this.syncWaiters.get(payload)?.();
      return;
    }
    this.generation++;
    if (payload === '*') this.entries.clear();
    else this.entries.delete(payload);
  }

  private async warm(deps: Pick<Deps, 'db' | 'clock'>): Promise<void> {
    const generation = this.generation;
    const started = Date.now();
    const loaded: Array<[string, EligibilityEntry]> = [];
    for await (const row of eligibilitySnapshot(deps)) {
      loaded.push([EligibilityCache.key(row.appId, row.externalUserId), row.entry]);
      if (loaded.length >= this.options.maxEntries) break;
    }
    // Anything that changed while the snapshot was read is re-read on demand instead.
    if (generation !== this.generation || !this.healthy) return;
    for (const [key, entry] of loaded) this.store(key, entry, JSON.stringify(entry.response));
    this.options.log.info({ entries: loaded.length, ms: Date.now() - started }, 'eligibility cache warmed');
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    const lost = (err?: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.healthy = false;
      // The loss in database time; a failed reconnect keeps the first one.
      if (this.connectedAt && this.missedSince === undefined) this.missedSince = this.connectedAt.dbTime + (performance.now() - this.connectedAt.perf);
      this.releaseSyncs();
      client.removeAllListeners();
      client.end().catch(() => {});
      if (!this.stopped) {
        this.options.log.warn({ err }, 'eligibility cache: notifications lost; serving held answers up to their TTL until reconnected');
        this.retryTimer = setTimeout(() => void this.connect(), 1_000);
        this.retryTimer.unref();
      }
    };
    try {
      await client.connect();
      client.on('notification', (msg) => this.invalidate(msg.payload ?? '*'));
      client.on('error', lost);
      client.on('end', () => lost());
      await client.query(`LISTEN ${ELIGIBILITY_CHANNEL}`);
      this.listener = client;
      const { rows } = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
      this.connectedAt = { dbTime: rows[0]!.now.getTime(), perf: performance.now() };
      await this.resync();
      this.healthy = true;
    } catch (err) {
      this.listener = client;
      lost(err as Error);
    }
  }

  /** After a loss: drop what changed while notifications were missed (from shortly before the loss on). */
  private async resync(): Promise<void> {
    this.generation++; // a read that started while away is not stored
    if (this.missedSince === undefined || !this.db) return;
    const changes = await eligibilityChangesSince({ db: this.db }, new Date(this.missedSince - RESYNC_MARGIN_MS));
    if (changes.everything) this.invalidate('*');
    else for (const { appId, externalUserId } of changes.keys) this.invalidate(EligibilityCache.key(appId, externalUserId));
    this.options.log.info({ changed: changes.everything ? 'all' : changes.keys.length }, 'eligibility cache: resynced after reconnecting');
    this.missedSince = undefined;
  }

  /** A cache that stops serving is consistent by definition: whoever waits for a sync may go on. */
  private releaseSyncs(): void {
    for (const resolve of this.syncWaiters.values()) resolve();
    this.syncWaiters.clear();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.healthy = false;
    const client = this.listener;
    this.listener = undefined;
    this.entries.clear();
    this.releaseSyncs();
    if (client) {
      client.removeAllListeners();
      await client.end().catch(() => {});
    }
  }
}
