import bcrypt from 'bcryptjs';
import { admins, isUniqueViolation } from '@aquoris/db';
import { z } from 'zod';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { Email, Name } from '../common/schemas.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../validation.ts';

/** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
export const Password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(72, 'must be at most 72 characters (bcrypt limit)')
  .refine((v) => new TextEncoder().encode(v).length <= 72, 'must be at most 72 bytes (bcrypt limit)');

export const CreateAdminInput = z.strictObject({ email: Email, password: Password, name: Name });
export type CreateAdminInput = z.input<typeof CreateAdminInput>;

const BCRYPT_COST = 12;

export async function createAdmin(deps: Deps, actor: OperatorActor, raw: CreateAdminInput) {
  const input = parseInput(CreateAdminInput, raw);
  const passwordHash = await bcrypt.hash(input.password, BCRYPT_COST);
  try {
    const admin = await deps.db.transaction(async (tx) => {
      const row = await admins.insert(tx, { email: input.email.toLowerCase(), name: input.name, passwordHash });
      await recordAudit(tx, actor, { action: 'admin.created', targetType: 'admin', targetId: row.id, details: { email: row.email } });
      return row;
    });
    return { id: admin.id, email: admin.email, name: admin.name, createdAt: admin.createdAt.toISOString() };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ADMIN_ALREADY_EXISTS', `An admin with email ${input.email} already exists`);
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
