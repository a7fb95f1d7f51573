import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';

let api: TestApi;
let app: { apiKey: string; slug: string };

beforeAll(async () => {
  api = await startTestApi();
  app = await api.createApp({ slug: 'vega', returnUrl: 'https://vega.aquoris.ai/' });
  await api.createPlan({ slug: 'pro', name: 'PRO', priceAmount: 29900, currency: 'thb', interval: 'month' });
});
afterAll(() => api.close());

async function sessionUrl(json: Record<string, unknown>): Promise<string> {
  const res = await api.request('/api/v1/sessions', { method: 'POST', apiKey: app.apiKey, json: { externalUserId: 'u1', appSlug: 'vega', ...json } });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).url;
}

const visit = (url: string) => fetch(url, { redirect: 'manual' });

describe('GET /session/:token', () => {
  it('sets an HttpOnly, SameSite cookie for 2 hours and redirects manage to /billing', async () => {
    const res = await visit(await sessionUrl({}));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/billing');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^aqb_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toContain('Max-Age=7200');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // plain http in tests
  });

  it('redirects upgrade to /billing/plans keeping the planSlug', async () => {
    const res = await visit(await sessionUrl({ intent: 'upgrade', planSlug: 'pro' }));
    expect(res.headers.get('location')).toBe('/billing/plans?plan=pro');
    const plain = await visit(await sessionUrl({ intent: 'upgrade' }));
    expect(plain.headers.get('location')).toBe('/billing/plans');
  });

  it('the cookie is a subscriber session, not a reusable link', async () => {
    const res = await visit(await sessionUrl({}));
    const cookieToken = /aqb_session=([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!;
    const reuse = await visit(`${api.baseUrl}/session/${cookieToken}`);
    expect(reuse.status).toBe(401);
    expect(reuse.headers.get('set-cookie')).toBeNull();
  });

  it('refuses forged, alg:none, garbage and expired tokens with a clear page and no cookie', async () => {
    const url = await sessionUrl({});
    const token = url.split('/session/')[1]!;
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    const forged = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('not-the-secret-'.repeat(3)));
    const none = new UnsecuredJWT(payload).encode();
    const expired = await new SignJWT({ ...payload, iat: payload.iat - 3600, exp: payload.iat - 1800 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(api.env.SESSION_SECRET));

    for (const [bad, status, words] of [
      [forged, 401, 'not valid'],
      [none, 401, 'not valid'],
      ['garbage', 401, 'not valid'],
      [`${token}x`, 401, 'not valid'],
      [expired, 410, 'expired'],
    ] as const) {
      const res = await visit(`${api.baseUrl}/session/${bad}`);
      expect(res.status).toBe(status);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('content-type')).toContain('text/html');
      const html = await res.text();
      expect(html).toContain(words);
      expect(html).toContain('Go back to the app');
    }
  });

  it('an expired link offers the way back to its app (the returnUrl of the session, else of the app); a forged one cannot', async () => {
    const resign = async (url: string, secret: string) => {
      const payload = JSON.parse(Buffer.from(url.split('/session/')[1]!.split('.')[1]!, 'base64url').toString());
      return new SignJWT({ ...payload, iat: payload.iat - 3600, exp: payload.iat - 1800 })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(secret));
    };
    const plain = await visit(`${api.baseUrl}/session/${await resign(await sessionUrl({}), api.env.SESSION_SECRET)}`);
    expect(plain.status).toBe(410);
    expect(await plain.text()).toMatch(/<a class="button" href="https:\/\/vega\.aquoris\.ai\/">Back to [^<]+<\/a>/);
    const withReturn = await sessionUrl({ returnUrl: 'https://vega.aquoris.ai/settings?tab=billing' });
    const page = await (await visit(`${api.baseUrl}/session/${await resign(withReturn, api.env.SESSION_SECRET)}`)).text();
    expect(page).toContain('href="https://vega.aquoris.ai/settings?tab=billing"');
    const forged = await visit(`${api.baseUrl}/session/${await resign(withReturn, 'not-the-secret-'.repeat(3))}`);
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain('class="button"');
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const secure = await startTestApi({ env: { NEXT_PUBLIC_APP_URL: 'https://payment.example.com' } });
    try {
      const a = await secure.createApp({ slug: 'sec' });
      const res = await secure.request('/api/v1/sessions', { method: 'POST', apiKey: a.apiKey, json: { externalUserId: 'u', appSlug: 'sec' } });
      const { url } = (await res.json()) as any;
      expect(url).toMatch(/^https:\/\/payment\.example\.com\/session\//);
      const visited = await fetch(`${secure.baseUrl}/session/${url.split('/session/')[1]}`, { redirect: 'manual' });
      expect(visited.headers.get('set-cookie')).toContain('Secure');
    } finally {
      await secure.close();
    }
  });
});
