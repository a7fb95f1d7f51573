import bcrypt from 'bcryptjs';
import { admins } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { createAdmin, ensureAdmin } from './service.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;

describe('admins service', () => {
  it('stores the email in lower case and only a bcrypt hash of the password', async () => {
    const admin = await createAdmin(deps(), ops, { email: 'Ops@Example.com', password: 'correct horse', name: 'Ops' });
    const row = await admins.findById(deps().db.kysely, admin.id);
    expect(row?.email).toBe('ops@example.com');
    expect(row?.passwordHash).not.toContain('correct horse');
    expect(await bcrypt.compare('correct horse', row!.passwordHash)).toBe(true);
  });

  it('a second admin with the same email is a 409; ensureAdmin never resets the password', async () => {
    expect(await rejectionStatus(createAdmin(deps(), ops, { email: 'ops@example.com', password: 'another one', name: 'Again' }))).toBe(409);
    expect(await ensureAdmin(deps(), ops, { email: 'OPS@example.com', password: 'another one', name: 'Again' })).toEqual({
      created: false,
      email: 'ops@example.com',
    });
    const row = await admins.findByEmail(deps().db.kysely, 'ops@example.com');
    expect(await bcrypt.compare('correct horse', row!.passwordHash)).toBe(true);
    expect(await admins.count(deps().db.kysely)).toBe(1);
  });

  it('refuses a password bcrypt would truncate (422)', async () => {
    expect(await rejectionStatus(createAdmin(deps(), ops, { email: 'long@example.com', password: 'x'.repeat(73), name: 'Long' }))).toBe(422);
  });
});
