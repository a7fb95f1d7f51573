import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCookieOf, callAdmin, signedInAdmin, type TestAdmin } from '../../../testing/admin.ts';
import { startTestApi, type TestApi } from '../../../testing/index.ts';
import { openSubscriber } from '../../../testing/subscriber.ts';

let api: TestApi;
let admin: TestAdmin;
beforeAll(async () => {
  api = await startTestApi();
  admin = await signedInAdmin(api);
});
afterAll(() => api?.close());

describe('admin procedures refuse anyone without an admin session (401)', () => {
  it('no cookie, a subscriber cookie, an app API key: UNAUTHORIZED on queries and mutations alike', async () => {
    const app = await api.createApp();
    const subscriber = await openSubscriber(api, app, 'sub-1');
    const attempts = [{}, { cookie: subscriber.cookie }, { headers: { authorization: `Bearer ${app.apiKey}` } }, { cookie: 'aqb_admin=not-a-token' }];
    for (const options of attempts) {
      for (const [kind, path, input] of [
        ['query', 'admin.auth.me', undefined],
        ['query', 'admin.admins.list', undefined],
        ['mutation', 'admin.admins.create', { email: 'x@example.com', password: 'long enough', name: 'X' }],
      ] as const) {
        const res = await callAdmin(api, kind, path, input, options);
        expect({ path, status: res.status, code: res.error?.data.appCode }).toEqual({ path, status: 401, code: 'UNAUTHORIZED' });
      }
    }
    expect(await api.prisma.admin.count({ where: { email: 'x@example.com' } })).toBe(0);
  });

  it('a cookie signed with another secret is refused', async () => {
    const other = await startTestApi({ databaseUrl: api.databaseUrl });
    try {
      const foreign = await signedInAdmin(other);
      expect((await callAdmin(api, 'query', 'admin.auth.me', undefined, { cookie: foreign.cookie })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax cookie for 8 hours (not Secure over http), and me answers who is signed in', async () => {
    const res = await callAdmin(api, 'mutation', 'admin.auth.login', { email: admin.email.toUpperCase(), password: admin.password });
    expect(res.status).toBe(200);
    expect(res.setCookie).toMatch(/^aqb_admin=[^;]+; Max-Age=28800; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const me = await callAdmin(api, 'query', 'admin.auth.me', undefined, { cookie: adminCookieOf(res.setCookie) });
    expect(me.data).toMatchObject({ id: admin.id, email: admin.email, role: 'ADMIN' });
    const audit = await api.prisma.auditLog.findFirstOrThrow({ where: { action: 'admin.signed_in', actorId: admin.id } });
    expect(audit).toMatchObject({ actorType: 'ADMIN', targetId: admin.id });
  });

  it('a wrong password and an unknown email get the same 401 and message, and no cookie', async () => {
    const wrong = await callAdmin(api, 'mutation', 'admin.auth.login', { email: admin.email, password: 'not the password' });
    const unknown = await callAdmin(api, 'mutation', 'admin.auth.login', { email: 'nobody@example.com', password: 'not the password' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.error?.message).toBe('Email or password is incorrect');
      expect(res.setCookie).toBeNull();
    }
  });

  it('is refused cross-site (403): a foreign Origin, no Origin, or no x-aquoris-admin header', async () => {
    const input = { email: admin.email, password: admin.password };
    for (const options of [{ origin: 'https://evil.example' }, { origin: null }, { adminHeader: false }]) {
      const res = await callAdmin(api, 'mutation', 'admin.auth.login', input, options);
      expect(res.status).toBe(403);
      expect(res.error?.data.appCode).toBe('FORBIDDEN');
    }
  });

  it('Secure when the public URL is https', async () => {
    const https = await startTestApi({ databaseUrl: api.databaseUrl, env: { NEXT_PUBLIC_APP_URL: 'https://payment.example.com' } });
    try {
      const res = await callAdmin(https, 'mutation', 'admin.auth.login', { email: admin.email, password: admin.password });
      expect(res.status).toBe(200);
      expect(res.setCookie).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    } finally {
      await https.close();
    }
  });
});

describe('roles and cross-site mutations', () => {
  it('a VIEWER reads but every change answers 403, and nothing is written', async () => {
    const viewer = await signedInAdmin(api, { role: 'VIEWER' });
    const list = await viewer.query('admin.admins.list');
    expect(list.status).toBe(200);
    expect(list.data.map((a: { email: string }) => a.email)).toContain(viewer.email);
    const created = await viewer.mutate('admin.admins.create', { email: 'by-viewer@example.com', password: 'long enough', name: 'V' });
    expect(created.status).toBe(403);
    expect(created.error?.data.appCode).toBe('FORBIDDEN');
    expect((await viewer.mutate('admin.admins.deactivate', { id: admin.id })).status).toBe(403);
    expect(await api.prisma.admin.count({ where: { email: 'by-viewer@example.com' } })).toBe(0);
    expect(await api.prisma.admin.count({ where: { id: admin.id, deactivatedAt: null } })).toBe(1);
  });

  it("an ADMIN's mutation from another site, or without the header, answers 403", async () => {
    const input = { email: 'csrf@example.com', password: 'long enough', name: 'C' };
    for (const options of [{ origin: 'https://evil.example' }, { origin: null }, { adminHeader: false }, { headers: { 'sec-fetch-site': 'cross-site' } }]) {
      const res = await admin.mutate('admin.admins.create', input, options);
      expect(res.status).toBe(403);
    }
    expect(await api.prisma.admin.count({ where: { email: 'csrf@example.com' } })).toBe(0);
    expect((await admin.mutate('admin.admins.create', input)).status).toBe(200);
  });
});

describe('sessions end server-side', () => {
  it('sign out: the replayed cookie no longer works', async () => {
    const a = await signedInAdmin(api);
    const out = await a.mutate('admin.auth.signOut');
    expect(out.status).toBe(200);
    expect(out.setCookie).toMatch(/^aqb_admin=; /);
    expect((await a.query('admin.auth.me')).status).toBe(401);
    expect(await api.prisma.auditLog.count({ where: { action: 'admin.signed_out', actorId: a.id } })).toBe(1);
  });

  it('deactivation ends every session of the admin and refuses its sign-in with the usual words; one audit entry names the acting admin', async () => {
    const target = await signedInAdmin(api);
    const second = adminCookieOf((await callAdmin(api, 'mutation', 'admin.auth.login', { email: target.email, password: target.password })).setCookie);
    const res = await admin.mutate('admin.admins.deactivate', { id: target.id });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: target.id, active: false });
    expect((await target.query('admin.auth.me')).status).toBe(401);
    expect((await callAdmin(api, 'query', 'admin.auth.me', undefined, { cookie: second })).status).toBe(401);
    const login = await callAdmin(api, 'mutation', 'admin.auth.login', { email: target.email, password: target.password });
    expect(login.status).toBe(401);
    expect(login.error?.message).toBe('Email or password is incorrect');
    const audit = await api.prisma.auditLog.findMany({ where: { action: 'admin.deactivated', targetId: target.id } });
    expect(audit).toEqual([expect.objectContaining({ actorType: 'ADMIN', actorId: admin.id })]);
  });

  it('an admin cannot deactivate itself (409)', async () => {
    const res = await admin.mutate('admin.admins.deactivate', { id: admin.id });
    expect(res.status).toBe(409);
    expect(res.error?.data.appCode).toBe('ADMIN_SELF_DEACTIVATION');
  });

  it('a password change ends the old sessions, hands the changer a fresh one, and the new password signs in', async () => {
    const a = await signedInAdmin(api);
    const other = adminCookieOf((await callAdmin(api, 'mutation', 'admin.auth.login', { email: a.email, password: a.password })).setCookie);
    const wrong = await a.mutate('admin.auth.changePassword', { currentPassword: 'not it at all', newPassword: 'a brand new secret' });
    expect(wrong.status).toBe(422);
    expect(wrong.error?.data.fieldErrors).toEqual({ currentPassword: 'is not correct' });
    const tooLong = await a.mutate('admin.auth.changePassword', { currentPassword: a.password, newPassword: 'x'.repeat(73) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.error?.data.fieldErrors?.newPassword).toMatch(/72/);

    const changed = await a.mutate('admin.auth.changePassword', { currentPassword: a.password, newPassword: 'a brand new secret' });
    expect(changed.status).toBe(200);
    const fresh = adminCookieOf(changed.setCookie);
    expect(fresh).toBeDefined();
    expect((await a.query('admin.auth.me')).status).toBe(401);
    expect((await callAdmin(api, 'query', 'admin.auth.me', undefined, { cookie: other })).status).toBe(401);
    expect((await callAdmin(api, 'query', 'admin.auth.me', undefined, { cookie: fresh })).status).toBe(200);
    expect((await callAdmin(api, 'mutation', 'admin.auth.login', { email: a.email, password: a.password })).status).toBe(401);
    expect((await callAdmin(api, 'mutation', 'admin.auth.login', { email: a.email, password: 'a brand new secret' })).status).toBe(200);
    expect(await api.prisma.auditLog.count({ where: { action: 'admin.password_changed', actorId: a.id } })).toBe(1);
  });
});

describe('admins', () => {
  it('create: validation errors name their field; a duplicate email names the email field', async () => {
    const bad = await admin.mutate('admin.admins.create', { email: 'not-an-email', password: 'short', name: '' });
    expect(bad.status).toBe(422);
    expect(bad.error?.data.appCode).toBe('VALIDATION_ERROR');
    expect(Object.keys(bad.error?.data.fieldErrors ?? {}).sort()).toEqual(['email', 'name', 'password']);
    const dup = await admin.mutate('admin.admins.create', { email: admin.email, password: 'long enough', name: 'Dup' });
    expect(dup.status).toBe(409);
    expect(dup.error?.data.fieldErrors).toEqual({ email: 'an admin with this email already exists' });
  });
});
