import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AquorisBilling } from './client.ts';
import { AquorisBillingError, AuthenticationError, ValidationError } from './errors.ts';
import { ELIGIBLE, apiError, fakeFetch, json } from './testing/fake-fetch.ts';
import { VERSION } from './version.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

function client(replies = [json(200, { ok: true })], options: ConstructorParameters<typeof AquorisBilling>[0] = {}) {
  const fetch = fakeFetch(replies);
  return { fetch, billing: new AquorisBilling({ apiKey: 'sk_live_123', appSlug: 'vega', fetch, ...options }) };
}

function configError(fn: () => unknown): AquorisBillingError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AquorisBillingError);
    expect(error).toMatchObject({ code: 'CONFIGURATION_ERROR' });
    return error as AquorisBillingError;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('defaults to https://payment.aquoris.ai, and normalises a trailing slash', () => {
    vi.stubEnv('AQUORIS_BILLING_BASE_URL', '');
    expect(new AquorisBilling({ apiKey: 'k', appSlug: 'a' }).baseUrl).toBe('https://payment.aquoris.ai');
    expect(new AquorisBilling({ apiKey: 'k', appSlug: 'a', baseUrl: 'http://localhost:3000/' }).baseUrl).toBe('http://localhost:3000');
    expect(new AquorisBilling({ apiKey: 'k', appSlug: 'a', baseUrl: 'https://proxy.test/billing/' }).baseUrl).toBe('https://proxy.test/billing');
  });

  it('explains a missing apiKey, appSlug or baseUrl', () => {
    vi.stubEnv('AQUORIS_BILLING_API_KEY', '');
    vi.stubEnv('AQUORIS_BILLING_APP_SLUG', '');
    expect(configError(() => new AquorisBilling({ appSlug: 'a' })).message).toMatch(/Missing apiKey.*AQUORIS_BILLING_API_KEY/);
    expect(configError(() => new AquorisBilling({ apiKey: '', appSlug: 'a' })).message).toMatch(/Missing apiKey/);
    expect(configError(() => new AquorisBilling({ apiKey: 'k' })).message).toMatch(/Missing appSlug.*AQUORIS_BILLING_APP_SLUG/);
    expect(configError(() => new AquorisBilling({ apiKey: 'k', appSlug: 'a', baseUrl: '' })).message).toMatch(/Missing baseUrl/);
  });

  it('rejects an unusable baseUrl with a hint', () => {
    const base = { apiKey: 'k', appSlug: 'a' };
    expect(configError(() => new AquorisBilling({ ...base, baseUrl: 'payment.aquoris.ai' })).message).toMatch(/absolute URL/);
    expect(configError(() => new AquorisBilling({ ...base, baseUrl: 'ftp://x.test' })).message).toMatch(/http/);
    expect(configError(() => new AquorisBilling({ ...base, baseUrl: 'https://payment.aquoris.ai/api/v1' })).message).toMatch(/adds \/api\/v1/);
  });

  it('validates numeric options', () => {
    const base = { apiKey: 'k', appSlug: 'a' };
    configError(() => new AquorisBilling({ ...base, timeout: 0 }));
    configError(() => new AquorisBilling({ ...base, maxRetries: -1 }));
    configError(() => new AquorisBilling({ ...base, maxRetries: 1.5 }));
    configError(() => new AquorisBilling({ ...base, rateLimitRetry: 'sometimes' as 'wait' }));
    expect(() => new AquorisBilling({ ...base, maxRetries: 0 })).not.toThrow();
  });

  it('reads AQUORIS_BILLING_* from process.env when present', async () => {
    vi.stubEnv('AQUORIS_BILLING_API_KEY', 'sk_from_env');
    vi.stubEnv('AQUORIS_BILLING_APP_SLUG', 'env-app');
    vi.stubEnv('AQUORIS_BILLING_BASE_URL', 'https://env.test');
    const fetch = fakeFetch([json(200, { url: 'https://env.test/session/x' })]);
    const billing = new AquorisBilling({ fetch });
    expect(billing).toMatchObject({ appSlug: 'env-app', baseUrl: 'https://env.test' });
    await billing.sessions.create({ externalUserId: 'u' });
    expect(fetch.requests[0]?.headers.Authorization).toBe('Bearer sk_from_env');
    expect(fetch.requests[0]?.body).toMatchObject({ appSlug: 'env-app' });
  });

  it('works without any `process` global (edge runtimes)', async () => {
    vi.stubGlobal('process', undefined);
    const fetch = fakeFetch([json(200, { plans: [] })]);
    const billing = new AquorisBilling({ apiKey: 'k', appSlug: 'a', fetch });
    await expect(billing.plans.list()).resolves.toEqual({ plans: [] });
    expect(fetch.requests[0]?.headers['User-Agent']).toBeUndefined();
    expect(fetch.requests[0]?.headers['X-Aquoris-SDK']).toBe(`billing-sdk/${VERSION}`);
    expect(() => new AquorisBilling({ appSlug: 'a' })).toThrow(/Missing apiKey/);
  });

  it('uses the global fetch when none is passed, looked up per call', async () => {
    const fetch = fakeFetch([json(200, { plans: [] })]);
    const billing = new AquorisBilling({ apiKey: 'k', appSlug: 'a' });
    vi.stubGlobal('fetch', fetch);
    await billing.plans.list();
    expect(fetch.requests[0]?.url).toBe('https://payment.aquoris.ai/api/v1/plans');
  });

  it('keeps the API key out of enumerable state (logging the client does not leak it)', () => {
    const { billing } = client();
    expect(JSON.stringify(billing)).not.toContain('sk_live_123');
  });

  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect(AquorisBilling.VERSION).toBe(pkg.version);
  });
});

describe('browser guard', () => {
  it('refuses to run where there is a window with a document, explaining the leak', () => {
    vi.stubGlobal('window', { document: {} });
    const error = configError(() => new AquorisBilling({ apiKey: 'k', appSlug: 'a' }));
    expect(error.message).toMatch(/server-side/);
    expect(error.message).toMatch(/API key/);
    expect(error.message).toMatch(/dangerouslyAllowBrowser: true/);
  });

  it('runs in a browser with dangerouslyAllowBrowser, without setting the forbidden User-Agent header', async () => {
    vi.stubGlobal('window', { document: {} });
    const { billing, fetch } = client([json(200, { plans: [] })], { dangerouslyAllowBrowser: true });
    await billing.plans.list();
    expect(fetch.requests[0]?.headers['User-Agent']).toBeUndefined();
    expect(fetch.requests[0]?.headers['X-Aquoris-SDK']).toBe(`billing-sdk/${VERSION}`);
  });

  it('does not mistake a worker or edge runtime (no window.document) for a browser', () => {
    vi.stubGlobal('window', {}); // e.g. Deno 1.x has `window` but no document
    expect(() => new AquorisBilling({ apiKey: 'k', appSlug: 'a' })).not.toThrow();
  });
});

describe('requests', () => {
  it('sends auth, JSON and SDK headers', async () => {
    const { billing, fetch } = client([json(200, { plans: [] })], { defaultHeaders: { 'X-Trace': 't1' } });
    await billing.plans.list();
    const request = fetch.requests[0];
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('https://payment.aquoris.ai/api/v1/plans');
    expect(request?.headers).toMatchObject({
      Authorization: 'Bearer sk_live_123',
      Accept: 'application/json',
      'X-Aquoris-SDK': `billing-sdk/${VERSION}`,
      'X-Trace': 't1',
    });
    expect(request?.headers['User-Agent']).toMatch(/^aquoris-billing-sdk\/\d+\.\d+\.\d+ node\//);
    expect(request?.headers['Content-Type']).toBeUndefined();
  });

  it('sessions.create posts the body with the client appSlug and returns { url }', async () => {
    const { billing, fetch } = client([json(200, { url: 'https://payment.aquoris.ai/session/eyJ' })]);
    const session = await billing.sessions.create({
      externalUserId: 'user_1',
      intent: 'upgrade',
      planSlug: 'pro',
      returnUrl: 'https://vega.aquoris.ai/settings',
      user: { email: 'a@b.test', name: 'Alice' },
    });
    expect(session).toEqual({ url: 'https://payment.aquoris.ai/session/eyJ' });
    expect(fetch.requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://payment.aquoris.ai/api/v1/sessions',
      headers: { 'Content-Type': 'application/json' },
      body: {
        externalUserId: 'user_1',
        appSlug: 'vega',
        intent: 'upgrade',
        planSlug: 'pro',
        returnUrl: 'https://vega.aquoris.ai/settings',
        user: { email: 'a@b.test', name: 'Alice' },
      },
    });
  });

  it('customers.upsert PUTs only the given fields', async () => {
    const customer = { id: 'cm1', externalUserId: 'user_1', email: 'a@b.test', name: null };
    const { billing, fetch } = client([json(200, customer)]);
    await expect(billing.customers.upsert('user_1', { email: 'a@b.test' })).resolves.toEqual(customer);
    expect(fetch.requests[0]).toMatchObject({ method: 'PUT', url: 'https://payment.aquoris.ai/api/v1/customers/user_1' });
    expect(fetch.requests[0]?.body).toEqual({ email: 'a@b.test' });
  });

  it('URL-encodes externalUserId in every path', async () => {
    const { billing, fetch } = client([json(200, ELIGIBLE), json(200, { id: 'c', externalUserId: 'x', email: null, name: 'n' })]);
    const id = 'auth0|user/42?x=1#frag %é';
    await billing.customers.getSubscription(id);
    await billing.customers.upsert(id, { name: 'n' });
    const encoded = 'auth0%7Cuser%2F42%3Fx%3D1%23frag%20%25%C3%A9';
    expect(fetch.requests.map((r) => r.url)).toEqual([
      `https://payment.aquoris.ai/api/v1/customers/${encoded}/subscription`,
      `https://payment.aquoris.ai/api/v1/customers/${encoded}`,
    ]);
    expect(decodeURIComponent(encoded)).toBe(id);
  });

  it('rejects ids that cannot be a path segment before sending anything', async () => {
    const { billing, fetch } = client();
    for (const bad of ['', '.', '..', undefined as unknown as string, 42 as unknown as string]) {
      await expect(billing.customers.getSubscription(bad)).rejects.toThrow(TypeError);
      await expect(billing.customers.upsert(bad, { name: 'x' })).rejects.toThrow(TypeError);
    }
    expect(fetch.requests).toHaveLength(0);
  });

  it('health() sends no API key and returns the body for 200 and for 503 without retrying', async () => {
    const ok = { status: 'ok', timestamp: '2026-04-07T12:00:00.000Z', checks: { database: 'ok', redis: 'ok' } };
    const degraded = { status: 'degraded', timestamp: '2026-04-07T12:00:00.000Z', checks: { database: 'error', redis: 'ok' } };
    const { billing, fetch } = client([json(200, ok), json(503, degraded)]);
    await expect(billing.health()).resolves.toEqual(ok);
    await expect(billing.health()).resolves.toEqual(degraded);
    expect(fetch.requests).toHaveLength(2);
    expect(fetch.requests[0]?.url).toBe('https://payment.aquoris.ai/api/health');
    expect(fetch.requests[0]?.headers.Authorization).toBeUndefined();
  });

  it('health() still throws on a 503 that is not a health body', async () => {
    const { billing } = client([json(503, 'upstream unavailable')]);
    await expect(billing.health({ maxRetries: 0 })).rejects.toMatchObject({ name: 'InternalServerError', status: 503 });
  });

  it('surfaces 401 and 422 from the API as typed errors', async () => {
    const { billing } = client([
      apiError(401, 'UNAUTHORIZED', 'API key does not belong to app "vega"'),
      apiError(422, 'VALIDATION_ERROR', 'At least one field (email or name) must be provided'),
    ]);
    await expect(billing.sessions.create({ externalUserId: 'u' })).rejects.toBeInstanceOf(AuthenticationError);
    await expect(billing.customers.upsert('u', {} as { name: string })).rejects.toBeInstanceOf(ValidationError);
  });
});
