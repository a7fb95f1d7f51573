import { z } from 'zod';
import { Email, Name } from '../common/schemas.ts';

/** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
export const Password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(72, 'must be at most 72 characters (bcrypt limit)')
  .refine((v) => new TextEncoder().encode(v).length <= 72, 'must be at most 72 bytes (bcrypt limit)');

export const AdminRoleSchema = z.enum(['ADMIN', 'VIEWER']);
export type AdminRoleName = z.infer<typeof AdminRoleSchema>;

export const CreateAdminInput = z.strictObject({ email: Email, password: Password, name: Name, role: AdminRoleSchema.default('ADMIN') });
export type CreateAdminInput = z.input<typeof CreateAdminInput>;

/** The sign-in form: no length rules beyond a sane cap, so a wrong password and a malformed one answer alike. */
export const AdminLoginInput = z.strictObject({
  email: z.string().trim().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(1024),
});
export type AdminLoginInput = z.input<typeof AdminLoginInput>;

export const ChangeOwnPasswordInput = z
  .strictObject({ currentPassword: z.string().min(1, 'is required').max(1024), newPassword: Password })
  .refine((v) => v.currentPassword !== v.newPassword, { path: ['newPassword'], message: 'must differ from the current password' });
export type ChangeOwnPasswordInput = z.input<typeof ChangeOwnPasswordInput>;

export const AdminIdInput = z.strictObject({ id: z.string().min(1).max(64) });

export const AdminView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: AdminRoleSchema,
  active: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type AdminView = z.infer<typeof AdminView>;
