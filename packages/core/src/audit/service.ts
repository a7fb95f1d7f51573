import type { Prisma } from '@aquoris/db';
import type { Actor } from '../actors.ts';

type AuditDb = { auditLog: { create(args: { data: Prisma.AuditLogUncheckedCreateInput }): Promise<unknown> } };

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

function actorColumns(actor: Actor): Pick<Prisma.AuditLogUncheckedCreateInput, 'actorType' | 'actorId'> {
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

/** Writes one audit entry; pass a transaction client to make it part of the change it records. */
export async function recordAudit(db: AuditDb, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      ...actorColumns(actor),
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: (entry.details ?? {}) as Prisma.InputJsonValue,
    },
  });
}
