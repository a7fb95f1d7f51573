import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { App } from '../kysely/types.ts';

export type AppRow = Selectable<App>;
export type AppInsert = Omit<Insertable<App>, 'id' | 'createdAt' | 'updatedAt'>;
export type AppUpdate = Omit<Updateable<App>, 'id' | 'createdAt' | 'updatedAt'>;

export const findBySlug = (db: Executor, slug: string): Promise<AppRow | undefined> =>
  db.selectFrom('apps').selectAll().where('slug', '=', slug).executeTakeFirst();

export const findById = (db: Executor, id: string): Promise<AppRow | undefined> => db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();

/** What API-key authentication needs, by the key's sha256. */
export const findCredentialByKeyHash = (db: Executor, apiKeyHash: string) =>
  db.selectFrom('apps').select(['id', 'slug', 'apiKeyHash', 'rateLimitPerMinute']).where('apiKeyHash', '=', apiKeyHash).executeTakeFirst();

/** Every valid key hash (the API-key cache's allow-list for blocked client addresses). */
export async function listKeyHashes(db: Executor): Promise<string[]> {
  return (await db.selectFrom('apps').select('apiKeyHash').execute()).map((row) => row.apiKeyHash);
}

export const list = (db: Executor): Promise<AppRow[]> => db.selectFrom('apps').selectAll().orderBy('createdAt', 'asc').orderBy('id', 'asc').execute();

export const insert = (db: Executor, values: AppInsert): Promise<AppRow> =>
  db
    .insertInto('apps')
    .values({ id: newId(), ...values })
    .returningAll()
    .executeTakeFirstOrThrow();

export const update = (db: Executor, id: string, values: AppUpdate): Promise<AppRow> =>
  db.updateTable('apps').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

/** An app's stored key, as the API-key re-encryption reads it. */
export type StoredApiKey = Pick<AppRow, 'id' | 'slug' | 'apiKeyHash' | 'apiKeyCiphertext'>;

const STORED_KEY = ['id', 'slug', 'apiKeyHash', 'apiKeyCiphertext'] as const;

export const listStoredApiKeys = (db: Executor): Promise<StoredApiKey[]> => db.selectFrom('apps').select(STORED_KEY).orderBy('slug', 'asc').execute();

export const findStoredApiKey = (db: Executor, id: string): Promise<StoredApiKey | undefined> =>
  db.selectFrom('apps').select(STORED_KEY).where('id', '=', id).executeTakeFirst();

/**
 * Compare-and-set: writes `next` only while the row still holds the same key and ciphertext, so a
 * rotation committed meanwhile is never overwritten with the old key. False when the row moved on.
 */
export async function replaceApiKeyCiphertext(db: Executor, key: StoredApiKey, next: string): Promise<boolean> {
  const result = await db
    .updateTable('apps')
    .set({ apiKeyCiphertext: next })
    .where('id', '=', key.id)
    .where('apiKeyHash', '=', key.apiKeyHash)
    .where('apiKeyCiphertext', '=', key.apiKeyCiphertext)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The slugs of the apps with these ids (the audit log's actor labels). */
export const listSlugsByIds = (db: Executor, ids: string[]): Promise<Array<{ id: string; slug: string }>> =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('apps').select(['id', 'slug']).where('id', 'in', ids).execute();

/** The app row, locked until the transaction ends (an allowlist edit or a Stripe configuration change reads, changes and writes it). */
export const findByIdForUpdate = (tx: Executor, id: string): Promise<AppRow | undefined> =>
  tx.selectFrom('apps').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
