import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';

const ISSUER = 'aquoris-billing';
export const SESSION_URL_TTL_SECONDS = 15 * 60;
export const SUBSCRIBER_SESSION_TTL_SECONDS = 2 * 60 * 60;

/**
 * What a billing session carries. Only opaque ids and navigation: no email,
 * name or external user id ever goes into a token.
 */
export interface SessionClaims {
  customerId: string;
  appId: string;
  intent: 'manage' | 'upgrade';
  planSlug?: string | undefined;
  billingInterval?: 'month' | 'year' | undefined;
  returnUrl?: string | undefined;
}

type Audience = 'billing-session-url' | 'billing-subscriber';

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signSessionToken(claims: SessionClaims, secret: string, audience: Audience, clock: Clock): Promise<string> {
  const now = Math.floor(clock.now().getTime() / 1000);
  const ttl = audience === 'billing-session-url' ? SESSION_URL_TTL_SECONDS : SUBSCRIBER_SESSION_TTL_SECONDS;
  const payload: Record<string, unknown> = { app: claims.appId, intent: claims.intent };
  if (claims.planSlug) payload.plan = claims.planSlug;
  if (claims.billingInterval) payload.int = claims.billingInterval;
  if (claims.returnUrl) payload.ret = claims.returnUrl;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.customerId)
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .setJti(crypto.randomUUID())
    .sign(key(secret));
}

export interface VerifiedSession extends SessionClaims {
  expiresAt: Date;
}

/** Verifies signature (HS256 only: `alg: none` and others are refused), issuer, audience and expiry. */
export async function verifySessionToken(token: string, secret: string, audience: Audience, clock: Clock): Promise<VerifiedSession> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience,
      currentDate: clock.now(),
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const intent = payload.intent === 'upgrade' ? 'upgrade' : 'manage';
    if (typeof payload.sub !== 'string' || typeof payload.app !== 'string') throw new Error('missing claims');
    return {
      customerId: payload.sub,
      appId: payload.app,
      intent,
      planSlug: typeof payload.plan === 'string' ? payload.plan : undefined,
      billingInterval: payload.int === 'year' || payload.int === 'month' ? payload.int : undefined,
      returnUrl: typeof payload.ret === 'string' ? payload.ret : undefined,
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      // jose checks the signature, issuer and audience before the expiry: these claims are ours, only late.
      const { app, ret } = error.payload;
      const details = { reason: 'expired', appId: typeof app === 'string' ? app : undefined, returnUrl: typeof ret === 'string' ? ret : undefined };
      throw new AppError('UNAUTHORIZED', 'This billing session has expired', { cause: error, details });
    }
    throw new AppError('UNAUTHORIZED', 'This billing session link is not valid', { cause: error, details: { reason: 'invalid' } });
  }
}
