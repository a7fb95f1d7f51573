import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { Admin } from '../kysely/types.ts';

export type AdminRow = Selectable<Admin>;

export const findByEmail = (db: Executor, email: string): Promise<AdminRow | undefined> =>
  db.selectFrom('admins').selectAll().where('email', '=', email).executeTakeFirst();

export const findById = (db: Executor, id: string): Promise<AdminRow | undefined> =>
  db.selectFrom('admins').selectAll().where('id', '=', id).executeTakeFirst();

export const insert = (db: Executor, values: Omit<Insertable<Admin>, 'id' | 'createdAt' | 'updatedAt'>): Promise<AdminRow> =>
  db
    .insertInto('admins')
    .values({ id: newId(), ...values })
    .returningAll()
    .executeTakeFirstOrThrow();

export async function count(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('admins')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The emails of the admins with these ids (the audit log's actor labels). */
export const listEmailsByIds = (db: Executor, ids: string[]): Promise<Array<{ id: string; email: string }>> =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('admins').select(['id', 'email']).where('id', 'in', ids).execute();

/** Every admin, oldest first (the Admins page). */
export const list = (db: Executor): Promise<AdminRow[]> => db.selectFrom('admins').selectAll().orderBy('createdAt', 'asc').orderBy('id', 'asc').execute();

export const setDeactivated = (db: Executor, id: string, deactivatedAt: Date): Promise<AdminRow | undefined> =>
  db.updateTable('admins').set({ deactivatedAt }).where('id', '=', id).returningAll().executeTakeFirst();

export const setPasswordHash = (db: Executor, id: string, passwordHash: string): Promise<AdminRow | undefined> =>
  db.updateTable('admins').set({ passwordHash }).where('id', '=', id).returningAll().executeTakeFirst();

export const setLastLogin = async (db: Executor, id: string, at: Date): Promise<void> => {
  await db.updateTable('admins').set({ lastLoginAt: at }).where('id', '=', id).execute();
};

/** Active admins with the ADMIN role: deactivating the last one would lock everyone out. */
export async function countActiveWithFullAccess(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('admins')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('deactivatedAt', 'is', null)
    .where('role', '=', 'ADMIN')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
