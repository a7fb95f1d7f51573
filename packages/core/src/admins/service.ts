import bcrypt from 'bcryptjs';
import { admins, adminSessions, isUniqueViolation, type AdminRow } from '@aquoris/db';
import type { AdminActor, OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { AdminIdInput, ChangeOwnPasswordInput, CreateAdminInput, type AdminView } from './schemas.ts';

export const BCRYPT_COST = 12;

export function toAdminView(admin: AdminRow): AdminView {
  return {
    id: admin.id,
    email: admin.email,
    name: admin.name,
    role: admin.role,
    active: admin.deactivatedAt === null,
    lastLoginAt: admin.lastLoginAt?.toISOString() ?? null,
    createdAt: admin.createdAt.toISOString(),
  };
}

export async function createAdmin(deps: Deps, actor: OperatorActor, raw: CreateAdminInput): Promise<AdminView> {
  const input = parseInput(CreateAdminInput, raw);
  const passwordHash = await bcrypt.hash(input.password, BCRYPT_COST);
  try {
    const admin = await deps.db.transaction(async (tx) => {
      const row = await admins.insert(tx, { email: input.email.toLowerCase(), name: input.name, passwordHash, role: input.role });
      await recordAudit(tx, actor, { action: 'admin.created', targetType: 'admin', targetId: row.id, details: { email: row.email, role: row.role } });
      return row;
    });
    return toAdminView(admin);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('ADMIN_ALREADY_EXISTS', `An admin with email ${input.email} already exists`, {
        details: { fields: { email: 'an admin with this email already exists' } },
      });
    }
    throw error;
  }
}

/** Creates the admin only if the email is new; never resets an existing password (for the idempotent seed). */
export async function ensureAdmin(deps: Deps, actor: OperatorActor, raw: CreateAdminInput): Promise<{ created: boolean; email: string }> {
  const input = parseInput(CreateAdminInput, raw);
  const existing = await admins.findByEmail(deps.db.kysely, input.email.toLowerCase());
  if (existing) return { created: false, email: existing.email };
  try {
    await createAdmin(deps, actor, input);
    return { created: true, email: input.email.toLowerCase() };
  } catch (error) {
    if (error instanceof AppError && error.code === 'ADMIN_ALREADY_EXISTS') return { created: false, email: input.email.toLowerCase() };
    throw error;
  }
}

export async function listAdmins(deps: Pick<Deps, 'db'>): Promise<AdminView[]> {
  return (await admins.list(deps.db.kysely)).map(toAdminView);
}

/** Deactivates another admin: it can no longer sign in, and its open sessions end at once. */
export async function deactivateAdmin(deps: Deps, actor: AdminActor, raw: { id: string }): Promise<AdminView> {
  const { id } = parseInput(AdminIdInput, raw);
  if (id === actor.adminId) throw new AppError('ADMIN_SELF_DEACTIVATION', 'You cannot deactivate yourself: ask another admin');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const existing = await admins.findById(tx, id);
    if (!existing) throw new AppError('ADMIN_NOT_FOUND', `Admin ${id} does not exist`);
    if (existing.deactivatedAt) return toAdminView(existing);
    const row = (await admins.setDeactivated(tx, id, now))!;
    const sessionsEnded = await adminSessions.revokeAllForAdmin(tx, id, now);
    await recordAudit(tx, actor, { action: 'admin.deactivated', targetType: 'admin', targetId: id, details: { email: row.email, sessionsEnded } });
    return toAdminView(row);
  });
}

/**
 * Changes the signed-in admin's own password after checking the current one. Every session of the admin
 * ends, the current one included; the caller opens a fresh session for the one making the change.
 */
export async function changeOwnPassword(deps: Deps, actor: AdminActor, raw: ChangeOwnPasswordInput): Promise<void> {
  const input = parseInput(ChangeOwnPasswordInput, raw);
  const admin = await admins.findById(deps.db.kysely, actor.adminId);
  if (!admin || admin.deactivatedAt) throw new AppError('UNAUTHORIZED', 'Your admin session has ended: sign in again');
  if (!(await bcrypt.compare(input.currentPassword, admin.passwordHash))) {
    throw new AppError('VALIDATION_ERROR', 'currentPassword: is not correct', { details: { fields: { currentPassword: 'is not correct' } } });
  }
  const passwordHash = await bcrypt.hash(input.newPassword, BCRYPT_COST);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await admins.setPasswordHash(tx, admin.id, passwordHash);
    const sessionsEnded = await adminSessions.revokeAllForAdmin(tx, admin.id, now);
    await recordAudit(tx, actor, { action: 'admin.password_changed', targetType: 'admin', targetId: admin.id, details: { sessionsEnded } });
  });
}
