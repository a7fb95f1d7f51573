import { adminSessions } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { changeOwnPassword, createAdmin, deactivateAdmin } from './service.ts';
import { ADMIN_SESSION_TTL_SECONDS, assertCanMutate, authenticateAdmin, INVALID_CREDENTIALS, loginAdmin, signOutAdmin } from './sessions.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;
let n = 0;

async function newAdmin(role: 'ADMIN' | 'VIEWER' = 'ADMIN') {
  const email = `admin${++n}@example.com`;
  const admin = await createAdmin(deps(), ops, { email, password: 'correct horse', name: `Admin ${n}`, role });
  return { ...admin, password: 'correct horse' };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run().catch(() => {});
  return performance.now() - start;
}

describe('loginAdmin', () => {
  it('opens an 8-hour server-side session and records the sign-in', async () => {
    const admin = await newAdmin();
    const session = await loginAdmin(deps(), { email: admin.email.toUpperCase(), password: admin.password });
    expect(session.maxAgeSeconds).toBe(8 * 60 * 60);
    expect(session.expiresAt.getTime() - deps().clock.now().getTime()).toBe(ADMIN_SESSION_TTL_SECONDS * 1000);
    const context = await authenticateAdmin(deps(), session.cookieValue);
    expect(context).toMatchObject({ actor: { type: 'admin', adminId: admin.id, email: admin.email }, role: 'ADMIN' });
    const rows = await deps().db.kysely.selectFrom('admin_sessions').selectAll().where('adminId', '=', admin.id).execute();
    expect(rows).toHaveLength(1);
    expect(session.cookieValue).not.toContain(rows[0]!.tokenHash);
    const audit = await deps().db.kysely.selectFrom('audit_logs').selectAll().where('action', '=', 'admin.signed_in').where('actorId', '=', admin.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('an unknown email, a wrong password and a deactivated admin get the same UNAUTHORIZED message', async () => {
    const admin = await newAdmin();
    const gone = await newAdmin();
    await deactivateAdmin(deps(), { type: 'admin', adminId: admin.id }, { id: gone.id });
    const errors = await Promise.all([
      failure(loginAdmin(deps(), { email: 'nobody@example.com', password: 'correct horse' })),
      failure(loginAdmin(deps(), { email: admin.email, password: 'wrong horse' })),
      failure(loginAdmin(deps(), { email: gone.email, password: gone.password })),
    ]);
    expect(errors.map((e) => [e.code, e.message])).toEqual(Array(3).fill(['UNAUTHORIZED', INVALID_CREDENTIALS]));
  });

  it('an unknown email costs a bcrypt comparison like a wrong password does (similar timing)', async () => {
    const admin = await newAdmin();
    await timed(() => loginAdmin(deps(), { email: 'warm@example.com', password: 'x' }));
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 3; i++) {
      unknown.push(await timed(() => loginAdmin(deps(), { email: 'nobody@example.com', password: 'wrong horse' })));
      wrong.push(await timed(() => loginAdmin(deps(), { email: admin.email, password: 'wrong horse' })));
    }
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[1]!;
    // Without the dummy comparison an unknown email answers in about a millisecond, a wrong password in ~100 ms or more.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.4);
  }, 60_000);
});

describe('authenticateAdmin', () => {
  it('refuses a missing, forged or expired cookie, and a session past its 8 hours', async () => {
    const admin = await newAdmin();
    const session = await loginAdmin(deps(), { email: admin.email, password: admin.password });
    expect((await failure(authenticateAdmin(deps(), undefined))).code).toBe('UNAUTHORIZED');
    expect((await failure(authenticateAdmin(deps(), `${session.cookieValue}x`))).code).toBe('UNAUTHORIZED');
    const clock = deps().clock;
    const start = clock.now();
    clock.advance(ADMIN_SESSION_TTL_SECONDS * 1000 - 1_000);
    await authenticateAdmin(deps(), session.cookieValue);
    clock.advance(2_000);
    try {
      expect((await failure(authenticateAdmin(deps(), session.cookieValue))).message).toMatch(/expired/);
    } finally {
      clock.set(start);
    }
  });

  it('the server-side expiry holds even if the cookie were still valid', async () => {
    const admin = await newAdmin();
    const session = await loginAdmin(deps(), { email: admin.email, password: admin.password });
    await deps().db.kysely.updateTable('admin_sessions').set({ expiresAt: deps().clock.now() }).where('adminId', '=', admin.id).execute();
    expect((await failure(authenticateAdmin(deps(), session.cookieValue))).code).toBe('UNAUTHORIZED');
  });
});

describe('ending sessions', () => {
  it('sign-out revokes the session: the same cookie is refused afterwards', async () => {
    const admin = await newAdmin();
    const session = await loginAdmin(deps(), { email: admin.email, password: admin.password });
    await signOutAdmin(deps(), await authenticateAdmin(deps(), session.cookieValue));
    expect((await failure(authenticateAdmin(deps(), session.cookieValue))).code).toBe('UNAUTHORIZED');
  });

  it('deactivation ends all sessions of the target, writes one audit entry, and an admin cannot deactivate itself', async () => {
    const actor = await newAdmin();
    const target = await newAdmin();
    const s1 = await loginAdmin(deps(), { email: target.email, password: target.password });
    const s2 = await loginAdmin(deps(), { email: target.email, password: target.password });
    const view = await deactivateAdmin(deps(), { type: 'admin', adminId: actor.id }, { id: target.id });
    expect(view.active).toBe(false);
    for (const s of [s1, s2]) expect((await failure(authenticateAdmin(deps(), s.cookieValue))).code).toBe('UNAUTHORIZED');
    const audit = await deps()
      .db.kysely.selectFrom('audit_logs')
      .selectAll()
      .where('action', '=', 'admin.deactivated')
      .where('targetId', '=', target.id)
      .execute();
    expect(audit).toEqual([expect.objectContaining({ actorType: 'ADMIN', actorId: actor.id, details: { email: target.email, sessionsEnded: 2 } })]);
    expect((await failure(deactivateAdmin(deps(), { type: 'admin', adminId: actor.id }, { id: actor.id }))).code).toBe('ADMIN_SELF_DEACTIVATION');
    expect((await failure(deactivateAdmin(deps(), { type: 'admin', adminId: actor.id }, { id: 'nope' }))).code).toBe('ADMIN_NOT_FOUND');
  });

  it('a password change checks the current password, then ends every session of the admin', async () => {
    const admin = await newAdmin();
    const session = await loginAdmin(deps(), { email: admin.email, password: admin.password });
    const actor = { type: 'admin', adminId: admin.id } as const;
    const wrong = await failure(changeOwnPassword(deps(), actor, { currentPassword: 'nope', newPassword: 'new password 1' }));
    expect([wrong.code, wrong.details]).toEqual(['VALIDATION_ERROR', { fields: { currentPassword: 'is not correct' } }]);
    const same = await failure(changeOwnPassword(deps(), actor, { currentPassword: admin.password, newPassword: admin.password }));
    expect(same.details).toEqual({ fields: { newPassword: 'must differ from the current password' } });
    // 24 three-byte characters are 72 bytes: allowed; one more is 75 bytes, past bcrypt's limit.
    const tooLong = await failure(changeOwnPassword(deps(), actor, { currentPassword: admin.password, newPassword: 'あ'.repeat(25) }));
    expect(tooLong.details).toEqual({ fields: { newPassword: 'must be at most 72 bytes (bcrypt limit)' } });
    await authenticateAdmin(deps(), session.cookieValue);

    await changeOwnPassword(deps(), actor, { currentPassword: admin.password, newPassword: 'あ'.repeat(24) });
    expect((await failure(authenticateAdmin(deps(), session.cookieValue))).code).toBe('UNAUTHORIZED');
    expect(await adminSessions.revokeAllForAdmin(deps().db.kysely, admin.id, deps().clock.now())).toBe(0);
    await loginAdmin(deps(), { email: admin.email, password: 'あ'.repeat(24) });
  });
});

describe('roles', () => {
  it('a VIEWER may not mutate; an ADMIN may', async () => {
    const viewer = await newAdmin('VIEWER');
    expect(viewer.role).toBe('VIEWER');
    const context = await authenticateAdmin(deps(), (await loginAdmin(deps(), { email: viewer.email, password: viewer.password })).cookieValue);
    expect(() => assertCanMutate(context)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => assertCanMutate({ role: 'ADMIN' })).not.toThrow();
  });
});
