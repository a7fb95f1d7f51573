import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { signSessionToken, verifySessionToken } from './tokens.ts';

const secret = 'x'.repeat(48);
const claims = { customerId: 'cus_1', appId: 'app_1', intent: 'upgrade' as const, planSlug: 'pro', returnUrl: 'https://a.example.com/' };

async function reason(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('UNAUTHORIZED');
  return (error as AppError).details?.reason;
}

describe('session tokens', () => {
  it('round-trips claims and carries no personal data', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const token = await signSessionToken(claims, secret, 'billing-session-url', clock);
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(Object.keys(payload).sort()).toEqual(['app', 'aud', 'exp', 'iat', 'intent', 'iss', 'jti', 'plan', 'ret', 'sub']);
    expect(payload.exp - payload.iat).toBe(15 * 60);
    const verified = await verifySessionToken(token, secret, 'billing-session-url', clock);
    expect(verified).toMatchObject(claims);
  });

  it('expires after 15 minutes for links and 2 hours for the subscriber session', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const link = await signSessionToken(claims, secret, 'billing-session-url', clock);
    const cookie = await signSessionToken(claims, secret, 'billing-subscriber', clock);
    clock.advance(15 * 60 * 1000 + 1000);
    expect(await reason(verifySessionToken(link, secret, 'billing-session-url', clock))).toBe('expired');
    await expect(verifySessionToken(cookie, secret, 'billing-subscriber', clock)).resolves.toBeTruthy();
    clock.advance(2 * 60 * 60 * 1000);
    expect(await reason(verifySessionToken(cookie, secret, 'billing-subscriber', clock))).toBe('expired');
  });

  it('refuses forged, alg:none, wrong-audience and tampered tokens', async () => {
    const clock = fixedClock(new Date());
    const good = await signSessionToken(claims, secret, 'billing-session-url', clock);
    const forged = await signSessionToken(claims, 'y'.repeat(48), 'billing-session-url', clock);
    const none = new UnsecuredJWT({ app: 'app_1', intent: 'manage' })
      .setSubject('cus_1')
      .setIssuer('aquoris-billing')
      .setAudience('billing-session-url')
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    const hs512 = await new SignJWT({ app: 'a' })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('c')
      .setIssuer('aquoris-billing')
      .setAudience('billing-session-url')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));
    const [h, p, s] = good.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'other' })).toString('base64url')}.${s}`;
    for (const token of [forged, none, hs512, tampered, 'garbage', '']) {
      expect(await reason(verifySessionToken(token, secret, 'billing-session-url', clock))).toBe('invalid');
    }
    expect(await reason(verifySessionToken(good, secret, 'billing-subscriber', clock))).toBe('invalid');
  });
});
