import type { Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { AdminRole, AdminSession } from '../kysely/types.ts';

export type AdminSessionRow = Selectable<AdminSession>;

export interface AdminSessionWithAdmin {
  sessionId: string;
  expiresAt: Date;
  adminId: string;
  email: string;
  name: string;
  role: AdminRole;
}

export const insert = (db: Executor, values: { adminId: string; tokenHash: string; expiresAt: Date }): Promise<AdminSessionRow> =>
  db
    .insertInto('admin_sessions')
    .values({ id: newId(), ...values })
    .returningAll()
    .executeTakeFirstOrThrow();

/** The live session of this token hash with its admin: not revoked, not expired at `now`, admin not deactivated. */
export const findLive = (db: Executor, tokenHash: string, now: Date): Promise<AdminSessionWithAdmin | undefined> =>
  db
    .selectFrom('admin_sessions as s')
    .innerJoin('admins as a', 'a.id', 's.adminId')
    .select(['s.id as sessionId', 's.expiresAt', 'a.id as adminId', 'a.email', 'a.name', 'a.role'])
    .where('s.tokenHash', '=', tokenHash)
    .where('s.revokedAt', 'is', null)
    .where('s.expiresAt', '>', now)
    .where('a.deactivatedAt', 'is', null)
    .executeTakeFirst();

/** Ends one session; true when it was live. */
export async function revoke(db: Executor, sessionId: string, at: Date): Promise<boolean> {
  const result = await db.updateTable('admin_sessions').set({ revokedAt: at }).where('id', '=', sessionId).where('revokedAt', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Ends every open session of an admin (deactivation, password change), optionally keeping one; returns how many. */
export async function revokeAllForAdmin(db: Executor, adminId: string, at: Date, exceptSessionId?: string): Promise<number> {
  let query = db.updateTable('admin_sessions').set({ revokedAt: at }).where('adminId', '=', adminId).where('revokedAt', 'is', null);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
