import { audit, type Executor } from '@aquoris/db';
import type { Actor } from '../actors.ts';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Who did it, as the audit log records actors. */
export function auditActor(actor: Actor): Pick<audit.AuditInsert, 'actorType' | 'actorId'> {
  switch (actor.type) {
    case 'app':
      return { actorType: 'APP', actorId: actor.appId };
    case 'admin':
      return { actorType: 'ADMIN', actorId: actor.adminId };
    case 'subscriber':
      return { actorType: 'SUBSCRIBER', actorId: actor.customerId };
    case 'cli':
      return { actorType: 'CLI', actorId: actor.user };
    case 'system':
      return { actorType: actor.name === 'stripe' ? 'STRIPE' : 'SYSTEM', actorId: actor.name };
  }
}

/** Writes one audit entry; pass the transaction of the change it records. */
export async function recordAudit(db: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordAudits(db, actor, [entry]);
}

/** Several entries by one actor in one statement (the events one Stripe read settled, say). */
export async function recordAudits(db: Executor, actor: Actor, entries: AuditEntry[]): Promise<void> {
  await audit.insertMany(
    db,
    entries.map((entry) => ({
      ...auditActor(actor),
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? {},
    })),
  );
}
