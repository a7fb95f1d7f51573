import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { IdempotencyStore, Stored } from '../http/idempotency.ts';
import type { VirtualClock } from './clock.ts';
import type { Store } from './store.ts';

/**
 * The emulator's state on disk: one JSON file, `state.json`, under the data directory. It is
 * rewritten whole after every request that may have changed something, atomically (a temporary
 * file, fsync, rename, fsync of the directory), so a crash leaves the previous or the new state,
 * never half of one. What is not saved: webhook deliveries still queued or waiting for a retry,
 * API fault modes and the delivery log (test-only, per process).
 */
export const SNAPSHOT_FILE = 'state.json';
const VERSION = 1;

interface Snapshot {
  version: typeof VERSION;
  savedAt: string;
  clockOffsetSeconds: number;
  collections: Record<string, Array<{ id: string }>>;
  sets: Record<string, string[]>;
  maps: Record<string, Array<[string, unknown]>>;
  idempotency: Array<[string, Stored]>;
}

export interface PersistedParts {
  store: Store;
  clock: VirtualClock;
  idempotency: IdempotencyStore;
}

/** The Store's state beyond its collections: Stripe keeps it, but not as fields of the objects. */
function extraState(store: Store) {
  return {
    sets: { deletedCustomers: store.deletedCustomers, trialWillEndSent: store.trialWillEndSent },
    maps: {
      cardNumbers: store.cardNumbers,
      failNextCharges: store.failNextCharges,
      pendingLines: store.pendingLines,
      sessionLineItems: store.sessionLineItems,
      sessionSubscriptionData: store.sessionSubscriptionData,
      endpointSecrets: store.endpointSecrets,
    } as Record<string, Map<string, unknown>>,
  };
}

export function takeSnapshot({ store, clock, idempotency }: PersistedParts, now = new Date()): Snapshot {
  const { sets, maps } = extraState(store);
  return {
    version: VERSION,
    savedAt: now.toISOString(),
    clockOffsetSeconds: clock.offset,
    collections: Object.fromEntries(Object.entries(store.collections()).map(([prefix, c]) => [prefix, c.all()])),
    sets: Object.fromEntries(Object.entries(sets).map(([name, set]) => [name, [...set]])),
    maps: Object.fromEntries(Object.entries(maps).map(([name, map]) => [name, [...map.entries()]])),
    idempotency: idempotency.saved(),
  };
}

export function restoreSnapshot({ store, clock, idempotency }: PersistedParts, snapshot: Snapshot): void {
  store.reset();
  for (const [prefix, collection] of Object.entries(store.collections())) collection.load(snapshot.collections[prefix] ?? []);
  const { sets, maps } = extraState(store);
  for (const [name, set] of Object.entries(sets)) for (const value of snapshot.sets[name] ?? []) set.add(value);
  for (const [name, map] of Object.entries(maps)) for (const [key, value] of snapshot.maps[name] ?? []) map.set(key, value);
  clock.restoreOffset(snapshot.clockOffsetSeconds);
  idempotency.restore(snapshot.idempotency);
}

/** Reads the data directory's snapshot; null when there is none. A file this version cannot read is an error, never silently dropped. */
export function readSnapshot(dataDir: string): Snapshot | null {
  const path = join(dataDir, SNAPSHOT_FILE);
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Snapshot>;
  if (parsed.version !== VERSION || typeof parsed.collections !== 'object') {
    throw new Error(`${path} is not a state file of this emulator (version ${String(parsed.version)}); start with --reset to begin empty`);
  }
  return parsed as Snapshot;
}

export function writeSnapshot(dataDir: string, snapshot: Snapshot): void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, SNAPSHOT_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(snapshot));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  // The rename itself is durable only once the directory entry is on disk.
  const dir = openSync(dataDir, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export function deleteSnapshot(dataDir: string): void {
  rmSync(join(dataDir, SNAPSHOT_FILE), { force: true });
}
