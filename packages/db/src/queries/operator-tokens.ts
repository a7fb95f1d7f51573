import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { OperatorToken } from '../kysely/types.ts';

export type OperatorTokenRow = Selectable<OperatorToken>;
export type OperatorTokenInsert = Omit<Insertable<OperatorToken>, 'id' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>;

export const insert = (db: Executor, values: OperatorTokenInsert): Promise<OperatorTokenRow> =>
  db
    .insertInto('operator_tokens')
    .values({ id: newId(), ...values })
    .returningAll()
    .executeTakeFirstOrThrow();

/** Every token, newest first (revoked ones too: the console shows when they were revoked). */
export const list = (db: Executor): Promise<OperatorTokenRow[]> =>
  db.selectFrom('operator_tokens').selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();

export const findById = (db: Executor, id: string): Promise<OperatorTokenRow | undefined> =>
  db.selectFrom('operator_tokens').selectAll().where('id', '=', id).executeTakeFirst();

/** What authentication needs, by the token's sha256. */
export const findByHash = (db: Executor, tokenHash: string): Promise<OperatorTokenRow | undefined> =>
  db.selectFrom('operator_tokens').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();

/** Sets revokedAt once; null when the token was already revoked (or does not exist). */
export const revoke = (db: Executor, id: string, at: Date): Promise<OperatorTokenRow | undefined> =>
  db.updateTable('operator_tokens').set({ revokedAt: at }).where('id', '=', id).where('revokedAt', 'is', null).returningAll().executeTakeFirst();

/** Records a use, at most once a minute per token so a busy token does not write on every request. */
export async function touch(db: Executor, id: string, at: Date): Promise<void> {
  const minuteAgo = new Date(at.getTime() - 60_000);
  await db
    .updateTable('operator_tokens')
    .set({ lastUsedAt: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', minuteAgo)]))
    .execute();
}
