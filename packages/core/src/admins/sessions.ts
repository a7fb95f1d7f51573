import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { admins, adminSessions, type AdminRole } from '@aquoris/db';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { AdminActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { hashApiKey } from '../crypto.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../validation.ts';
import { AdminLoginInput } from './schemas.ts';
import { BCRYPT_COST } from './service.ts';

/** Absolute: a session ends 8 hours after sign-in whatever the activity. */
export const ADMIN_SESSION_TTL_SECONDS = 8 * 60 * 60;
const ISSUER = 'aquoris-billing';
const AUDIENCE = 'admin-session';
export const INVALID_CREDENTIALS = 'Email or password is incorrect';

export interface AdminSessionCookie {
  /** The jose-signed cookie value (HS256 with ADMIN_SESSION_SECRET) naming the session. */
  cookieValue: string;
  maxAgeSeconds: number;
  expiresAt: Date;
}

export interface AdminContext {
  actor: AdminActor;
  sessionId: string;
  role: AdminRole;
  name: string;
  expiresAt: Date;
}

let dummyHash: Promise<string> | undefined;
/** A hash to compare against when the email is unknown, so both failures cost one bcrypt comparison. */
function timingDummyHash(): Promise<string> {
  dummyHash ??= bcrypt.hash(randomBytes(16).toString('hex'), BCRYPT_COST);
  return dummyHash;
}

const secretKey = (deps: Pick<Deps, 'config'>) => new TextEncoder().encode(deps.config.adminSessionSecret);

/** Opens a server-side session for an admin and signs the cookie that names it. Pass the transaction of the sign-in. */
export async function openAdminSession(deps: Pick<Deps, 'db' | 'clock' | 'config'>, adminId: string): Promise<AdminSessionCookie> {
  const sessionToken = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + ADMIN_SESSION_TTL_SECONDS * 1000);
  await adminSessions.insert(deps.db.kysely, { adminId, tokenHash: hashApiKey(sessionToken), expiresAt });
  const iat = Math.floor(now.getTime() / 1000);
  const cookieValue = await new SignJWT({ sid: sessionToken })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(adminId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ADMIN_SESSION_TTL_SECONDS)
    .sign(secretKey(deps));
  return { cookieValue, maxAgeSeconds: ADMIN_SESSION_TTL_SECONDS, expiresAt };
}

/**
 * Email + password sign-in. An unknown email, a wrong password and a deactivated admin all answer the same
 * UNAUTHORIZED message after one bcrypt comparison each, so neither the words nor the timing tell them apart.
 * (The per-IP attempt limit is the transport's: it runs before this.)
 */
export async function loginAdmin(deps: Deps, raw: AdminLoginInput): Promise<AdminSessionCookie & { admin: { id: string; email: string } }> {
  const input = parseInput(AdminLoginInput, raw);
  const admin = await admins.findByEmail(deps.db.kysely, input.email.toLowerCase());
  const matches = await bcrypt.compare(input.password, admin?.passwordHash ?? (await timingDummyHash()));
  if (!admin || !matches || admin.deactivatedAt) throw new AppError('UNAUTHORIZED', INVALID_CREDENTIALS);
  const session = await openAdminSession(deps, admin.id);
  await deps.db.transaction(async (tx) => {
    await admins.setLastLogin(tx, admin.id, deps.clock.now());
    await recordAudit(tx, { type: 'admin', adminId: admin.id, email: admin.email }, { action: 'admin.signed_in', targetType: 'admin', targetId: admin.id });
  });
  return { ...session, admin: { id: admin.id, email: admin.email } };
}

async function sessionTokenOf(deps: Pick<Deps, 'config' | 'clock'>, cookieValue: string): Promise<{ token: string; adminId: string }> {
  try {
    const { payload } = await jwtVerify(cookieValue, secretKey(deps), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: deps.clock.now(),
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string') throw new Error('missing claims');
    return { token: payload.sid, adminId: payload.sub };
  } catch (error) {
    const expired = error instanceof errors.JWTExpired;
    throw new AppError('UNAUTHORIZED', expired ? 'Your admin session has expired: sign in again' : 'Sign in to the admin console', { cause: error });
  }
}

/** Authorises a console request from its cookie: a valid signature and a live server-side session of an active admin. */
export async function authenticateAdmin(deps: Pick<Deps, 'db' | 'config' | 'clock'>, cookieValue: string | undefined): Promise<AdminContext> {
  if (!cookieValue) throw new AppError('UNAUTHORIZED', 'Sign in to the admin console');
  const { token, adminId } = await sessionTokenOf(deps, cookieValue);
  const session = await adminSessions.findLive(deps.db.kysely, hashApiKey(token), deps.clock.now());
  if (!session || session.adminId !== adminId) throw new AppError('UNAUTHORIZED', 'Your admin session has ended: sign in again');
  return {
    actor: { type: 'admin', adminId: session.adminId, email: session.email },
    sessionId: session.sessionId,
    role: session.role,
    name: session.name,
    expiresAt: session.expiresAt,
  };
}

/** Sign out: the session ends server-side, so a replayed cookie no longer works. */
export async function signOutAdmin(deps: Deps, context: AdminContext): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (await adminSessions.revoke(tx, context.sessionId, now)) {
      await recordAudit(tx, context.actor, { action: 'admin.signed_out', targetType: 'admin', targetId: context.actor.adminId });
    }
  });
}

/** VIEWER admins read only: every mutation is refused with FORBIDDEN. */
export function assertCanMutate(context: Pick<AdminContext, 'role'>): void {
  if (context.role !== 'ADMIN') throw new AppError('FORBIDDEN', 'Your admin role is read-only (VIEWER): ask an ADMIN to make this change');
}
