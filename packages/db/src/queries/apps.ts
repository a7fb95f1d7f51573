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
