import { AppError, authenticateApiKey, hashApiKey, isAppError, type AuthenticatedApp, type Deps } from '@aquoris/core';
import { apps } from '@aquoris/db';
import type { RedisRateLimiter } from './rate-limit.ts';

/** Failed authentications allowed per client IP per minute before it is refused without a database lookup. */
export const AUTH_FAILURES_PER_MINUTE = 60;

/** While some client is blocked, how long the list of valid key hashes may be used before it is read again. */
export const KNOWN_KEYS_MAX_AGE_MS = 10_000;

/**
 * Resolved API keys, kept briefly in memory so the hot eligibility path does
 * not pay a database round trip for authentication on every request. Entries
 * are dropped at once when any process announces a change to the app's
 * credentials (see ../events.ts), and expire after `ttlMs` regardless.
 *
 * A lookup that was in flight while a change was announced may have read the
 * row from before the change (a rotation commits, the event evicts, then the
 * lookup finishes with the old key): `set` refuses what such a lookup read,
 * using the generation the caller took before looking up.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { app: AuthenticatedApp; expiresAt: number }>();
  /** Bumped by every invalidation. */
  private generation = 0;
  /** The generation of each app's last invalidation, and of the last clear(). */
  private readonly invalidatedAt = new Map<string, number>();
  private clearedAt = 0;
  /** Every valid key hash (see isKnownValid), with the generation and time it was read at. */
  private known: { hashes: Set<string>; generation: number; loadedAt: number } | undefined;
  private loadingKnown: Promise<Set<string>> | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly knownMaxAgeMs = KNOWN_KEYS_MAX_AGE_MS,
  ) {}

  /** Take this before a database lookup and pass it to `set`. */
  currentGeneration(): number {
    return this.generation;
  }

  get(hash: string, now: number): AuthenticatedApp | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.app;
  }

  /** Caches a lookup's result, unless the app's credentials changed since `lookupGeneration` (then the next request looks up again). */
  set(hash: string, app: AuthenticatedApp, now: number, lookupGeneration: number): void {
    if (Math.max(this.clearedAt, this.invalidatedAt.get(app.appId) ?? 0) > lookupGeneration) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(hash, { app, expiresAt: now + this.ttlMs });
  }

  invalidateApp(appId: string): void {
    this.invalidatedAt.set(appId, ++this.generation);
    for (const [hash, entry] of this.entries) if (entry.app.appId === appId) this.entries.delete(hash);
  }

  clear(): void {
    this.clearedAt = ++this.generation;
    this.invalidatedAt.clear();
    this.entries.clear();
  }

  /**
   * Whether `hash` is the hash of a current key, from an in-memory list of
   * every app's key hash: one small query, re-read after any credential
   * change event (creating, rotating or updating an app sends one) and at
   * most every `knownMaxAgeMs` (pub/sub can miss one while Redis reconnects). Used only for
   * clients blocked for sending invalid keys, so that a spray of random keys
   * never reaches the database but a valid key still does.
   */
  async isKnownValid(db: Deps['db'], hash: string, now: number): Promise<boolean> {
    const known = this.known;
    if (known && known.generation === this.generation && now - known.loadedAt < this.knownMaxAgeMs) return known.hashes.has(hash);
    return (await this.loadKnown(db, now)).has(hash);
  }

  private loadKnown(db: Deps['db'], now: number): Promise<Set<string>> {
    this.loadingKnown ??= (async () => {
      const generation = this.generation;
      const hashes = new Set(await apps.listKeyHashes(db.kysely));
      // Changed while reading: use the answer for this call, but read again next time.
      this.known = { hashes, generation, loadedAt: now };
      return hashes;
    })().finally(() => {
      this.loadingKnown = undefined;
    });
    return this.loadingKnown;
  }
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Resolves the bearer key to its app: from memory when cached, else from the
 * database. Unknown keys are never cached, so a client spraying keys would
 * reach the database on every request: after too many failures from one
 * address it is refused before anything is looked up, except for a key whose
 * hash is known to be valid (ApiKeyCache.isKnownValid), so a valid key is
 * never refused for another key's failures from the same address.
 */
export async function resolveApp(
  deps: Pick<Deps, 'db'>,
  cache: ApiKeyCache,
  limiter: RedisRateLimiter,
  authorization: string | undefined,
  clientIp: string,
): Promise<AuthenticatedApp> {
  const key = bearerToken(authorization);
  const now = Date.now();
  const hash = key ? hashApiKey(key) : '';
  const cached = key ? cache.get(hash, now) : undefined;
  if (cached) return cached;
  const generation = cache.currentGeneration();
  const client = `auth-fail:${clientIp}`;
  const blocked = await limiter.peek(client, AUTH_FAILURES_PER_MINUTE).catch(() => null);
  if (blocked && !(key && (await cache.isKnownValid(deps.db, hash, now).catch(() => false)))) {
    throw new AppError('RATE_LIMITED', 'Too many requests with invalid API keys; retry later', {
      details: { retryAfterSeconds: blocked.retryAfterSeconds },
    });
  }
  try {
    const app = await authenticateApiKey(deps, key);
    cache.set(hash, app, now, generation);
    return app;
  } catch (error) {
    if (isAppError(error) && error.code === 'UNAUTHORIZED') await limiter.hit(client, AUTH_FAILURES_PER_MINUTE).catch(() => null);
    throw error;
  }
}

/** The app of a bearer key already in the cache, synchronously (the hot path's first try); undefined otherwise. */
export function cachedApp(cache: ApiKeyCache, authorization: string | undefined, now = Date.now()): AuthenticatedApp | undefined {
  const key = bearerToken(authorization);
  return key ? cache.get(hashApiKey(key), now) : undefined;
}
