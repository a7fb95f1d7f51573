import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { AuditLog } from '../kysely/types.ts';

/** One audit entry as written; `createdAt` defaults to the database's clock. */
export type AuditInsert = Omit<Insertable<AuditLog>, 'id'>;
export type AuditRow = Selectable<AuditLog>;

/** The one writer of audit entries: pass the transaction of the change it records. */
export async function insert(db: Executor, entry: AuditInsert): Promise<void> {
  await insertMany(db, [entry]);
}

/** Several entries in one statement (a batch of settled events, say). */
export async function insertMany(db: Executor, entries: AuditInsert[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_logs')
    .values(entries.map((entry) => ({ ...entry, id: newId(), details: JSON.stringify(entry.details ?? {}) })))
    .execute();
}
