import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../client.ts';
import { newId } from '../ids.ts';
import type { AuditLog } from '../kysely/types.ts';
import { olderThan, type Keyset } from '../keyset.ts';

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

export interface AuditListFilter {
  actorType?: AuditRow['actorType'] | undefined;
  action?: string | undefined;
  /** Entries about any of these targets (a customer and its subscriptions and invoices, say). */
  targets?: Array<{ type: string; id: string }> | undefined;
}

/** One page of audit entries, newest first, after `cursor`. */
export function listPage(db: Executor, filter: AuditListFilter, cursor: Keyset | null, limit: number): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_logs').selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit);
  if (filter.actorType !== undefined) query = query.where('actorType', '=', filter.actorType);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  const targets = filter.targets;
  if (targets !== undefined) {
    if (targets.length === 0) return Promise.resolve([]);
    query = query.where((eb) => eb.or(targets.map((t) => eb.and([eb('targetType', '=', t.type), eb('targetId', '=', t.id)]))));
  }
  if (cursor) query = query.where(olderThan('audit_logs', cursor));
  return query.execute();
}
