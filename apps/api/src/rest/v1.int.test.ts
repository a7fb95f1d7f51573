import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';

let api: TestApi;
let vega: { id: string; slug: string; apiKey: string };
let other: { id: string; slug: string; apiKey: string };

beforeAll(async () => {
  api = await startTestApi();
  vega = await api.createApp({ slug: 'vega', returnUrl: 'https://vega.aquoris.ai/settings' });
  other = await api.createApp({ slug: 'other-app', returnUrl: 'https://other.example.com/' });
  await api.createPlan({ slug: 'free', name: 'Aquoris Free', priceAmount: 0, currency: 'thb', interval: 'month' });
  await api.createPlan({ slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month', stripePriceId: 'price_internal123' });
  await api.createPlan({ slug: 'legacy', name: 'Legacy', priceAmount: 100, currency: 'usd', interval: 'year', active: false });
});
afterAll(() => api.close());

async function body(res: Response): Promise<any> {
  return res.json();
}

describe('GET /api/v1/plans', () => {
  it('lists active plans with exactly the documented fields', async () => {
    const res = await api.request('/api/v1/plans', { apiKey: vega.apiKey });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({
      plans: [
        {
          slug: 'free',
          name: 'Aquoris Free',
          priceAmount: 0,
          currency: 'thb',
          interval: 'month',
          trialDays: 0,
          prices: [{ interval: 'month', priceAmount: 0, currency: 'thb' }],
        },
        {
          slug: 'pro',
          name: 'Aquoris PRO',
          priceAmount: 29900,
          currency: 'thb',
          interval: 'month',
          trialDays: 0,
          prices: [{ interval: 'month', priceAmount: 29900, currency: 'thb' }],
        },
      ],
    });
  });
});

describe('POST /api/v1/sessions', () => {
  const post = (json: unknown, apiKey = vega.apiKey) => api.request('/api/v1/sessions', { method: 'POST', apiKey, json });

  it('returns a session URL on the public host and upserts the customer', async () => {
    const res = await post({ externalUserId: 'user_1', appSlug: 'vega', user: { email: 'alice@example.com', name: 'Alice' } });
    expect(res.status).toBe(200);
    const { url } = await body(res);
    expect(url).toMatch(new RegExp(`^${api.baseUrl}/session/[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    const token = url.split('/session/')[1];
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(JSON.stringify(payload)).not.toMatch(/alice|user_1/i); // no personal data in the token
    expect(payload.exp - payload.iat).toBe(900);
    const customer = await api.prisma.customer.findUniqueOrThrow({
      where: { appId_externalUserId: { appId: vega.id, externalUserId: 'user_1' } },
    });
    expect(customer).toMatchObject({ email: 'alice@example.com', name: 'Alice' });
  });

  it('accepts upgrade with an existing planSlug', async () => {
    const res = await post({ externalUserId: 'user_2', appSlug: 'vega', intent: 'upgrade', planSlug: 'pro' });
    expect(res.status).toBe(200);
  });

  it.each([
    ['appSlug of another app', { externalUserId: 'u', appSlug: 'other-app' }, 401, 'UNAUTHORIZED', 'API key does not belong to app "other-app"'],
    ['unknown appSlug', { externalUserId: 'u', appSlug: 'nope' }, 401, 'UNAUTHORIZED', 'nope'],
    ['missing externalUserId', { appSlug: 'vega' }, 422, 'VALIDATION_ERROR', 'externalUserId'],
    ['externalUserId over 256', { externalUserId: 'x'.repeat(257), appSlug: 'vega' }, 422, 'VALIDATION_ERROR', 'externalUserId'],
    ['empty externalUserId', { externalUserId: '', appSlug: 'vega' }, 422, 'VALIDATION_ERROR', 'externalUserId'],
    ['wrong type', { externalUserId: 42, appSlug: 'vega' }, 422, 'VALIDATION_ERROR', 'externalUserId'],
    ['unknown field', { externalUserId: 'u', appSlug: 'vega', admin: true }, 422, 'VALIDATION_ERROR', 'admin'],
    ['unknown intent', { externalUserId: 'u', appSlug: 'vega', intent: 'steal' }, 422, 'VALIDATION_ERROR', 'intent'],
    ['invalid user email', { externalUserId: 'u', appSlug: 'vega', user: { email: 'nope' } }, 422, 'VALIDATION_ERROR', 'user.email'],
    ['user name over 1024', { externalUserId: 'u', appSlug: 'vega', user: { name: 'n'.repeat(1025) } }, 422, 'VALIDATION_ERROR', 'user.name'],
    ['unknown planSlug', { externalUserId: 'u', appSlug: 'vega', intent: 'upgrade', planSlug: 'nope' }, 404, 'PLAN_NOT_FOUND', 'nope'],
    ['inactive planSlug', { externalUserId: 'u', appSlug: 'vega', intent: 'upgrade', planSlug: 'legacy' }, 404, 'PLAN_NOT_FOUND', 'legacy'],
    ['planSlug with manage', { externalUserId: 'u', appSlug: 'vega', planSlug: 'pro' }, 422, 'VALIDATION_ERROR', 'upgrade'],
    [
      'returnUrl on another domain',
      { externalUserId: 'u', appSlug: 'vega', returnUrl: 'https://evil.com' },
      400,
      'REDIRECT_NOT_ALLOWED',
      'returnUrl: https://evil.com is not one of',
    ],
  ])('rejects %s', async (_name, json, status, code, message) => {
    const res = await post(json);
    expect(res.status).toBe(status);
    const { error } = await body(res);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it.each([
    ['https://vega.aquoris.ai/settings/billing', 200],
    ['https://app.vega.aquoris.ai/settings', 400], // a new app lists its returnUrl's origin only: no wildcard
    ['https://evil.com', 400],
    ['https://evilvega.aquoris.ai/', 400],
    ['https://vega.aquoris.ai.evil.com/', 400],
    ['https://.vega.aquoris.ai/x', 400],
    ['https://vega.aquoris.ai@evil.com/', 400],
    ['https://user:pw@vega.aquoris.ai/', 400],
    ['javascript:alert(1)', 400],
    ['ftp://vega.aquoris.ai/', 400],
    ['http://vega.aquoris.ai/', 400],
    ['not a url', 400],
  ])('returnUrl %s → %i', async (returnUrl, status) => {
    const res = await post({ externalUserId: 'u_ret', appSlug: 'vega', returnUrl });
    expect(res.status).toBe(status);
    if (status === 400) expect((await body(res)).error).toMatchObject({ code: 'REDIRECT_NOT_ALLOWED', message: expect.stringMatching(/^returnUrl: /) });
  });
});

describe('GET /api/v1/customers/:id/subscription', () => {
  it('is 200 with base null for an unknown customer', async () => {
    const res = await api.request('/api/v1/customers/nobody/subscription', { apiKey: vega.apiKey });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ base: null, addons: [] });
  });

  it('shows a manual grant with the documented shape', async () => {
    await api.grantSubscription({ appSlug: 'vega', externalUserId: 'granted', planSlug: 'pro', days: 30 });
    const res = await api.request('/api/v1/customers/granted/subscription', { apiKey: vega.apiKey });
    const data = await body(res);
    expect(data).toEqual({
      base: {
        status: 'ACTIVE',
        plan: { slug: 'pro', name: 'Aquoris PRO', interval: 'month' },
        currentPeriodEnd: expect.any(String),
        cancelAtPeriodEnd: false,
        source: 'MANUAL',
      },
      addons: [],
    });
    const end = new Date(data.base.currentPeriodEnd).getTime();
    expect(Math.abs(end - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
    expect(data.base.currentPeriodEnd).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('never returns CANCELED, EXPIRED or lapsed manual subscriptions', async () => {
    const db = api.prisma;
    const customer = await db.customer.create({ data: { appId: vega.id, externalUserId: 'lapsed' } });
    const plan = await db.plan.findUniqueOrThrow({ where: { slug: 'pro' } });
    const base = {
      appId: vega.id,
      customerId: customer.id,
      planId: plan.id,
      billingInterval: plan.interval,
      currentPeriodStart: new Date(Date.now() - 86_400_000),
    };
    await db.subscription.createMany({
      data: [
        { ...base, status: 'CANCELED', source: 'CHECKOUT', currentPeriodEnd: new Date(Date.now() + 86_400_000) },
        { ...base, status: 'EXPIRED', source: 'MANUAL', currentPeriodEnd: new Date(Date.now() + 86_400_000) },
        { ...base, status: 'ACTIVE', source: 'MANUAL', currentPeriodEnd: new Date(Date.now() - 1000) },
        { ...base, status: 'TRIALING', source: 'TRIAL', currentPeriodEnd: new Date(Date.now() - 1000) },
      ],
    });
    expect(await body(await api.request('/api/v1/customers/lapsed/subscription', { apiKey: vega.apiKey }))).toEqual({ base: null, addons: [] });
  });

  it('handles URL-encoded ids and rejects ids over 256 characters', async () => {
    await api.grantSubscription({ appSlug: 'vega', externalUserId: 'a/b c@d', planSlug: 'pro', days: 1 });
    const ok = await api.request(`/api/v1/customers/${encodeURIComponent('a/b c@d')}/subscription`, { apiKey: vega.apiKey });
    expect((await body(ok)).base.plan.slug).toBe('pro');
    const long = await api.request(`/api/v1/customers/${'x'.repeat(257)}/subscription`, { apiKey: vega.apiKey });
    expect(long.status).toBe(422);
  });
});

describe('PUT /api/v1/customers/:id', () => {
  const put = (id: string, json: unknown, apiKey = vega.apiKey) => api.request(`/api/v1/customers/${id}`, { method: 'PUT', apiKey, json });

  it('creates, then partially updates, preserving the other field', async () => {
    const created = await put('sync_1', { email: 'a@example.com', name: 'A' });
    expect(created.status).toBe(200);
    const c = await body(created);
    expect(c).toEqual({ id: expect.any(String), externalUserId: 'sync_1', email: 'a@example.com', name: 'A' });
    expect(await body(await put('sync_1', { name: 'Alice' }))).toEqual({ ...c, name: 'Alice' });
    expect(await body(await put('sync_1', { email: 'b@example.com' }))).toEqual({ ...c, name: 'Alice', email: 'b@example.com' });
    expect(await body(await put('sync_1', { email: 'b@example.com' }))).toEqual({ ...c, name: 'Alice', email: 'b@example.com' });
  });

  it.each([
    ['an empty body', {}, 'At least one field (email or name) must be provided'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['a name over 1024 characters', { name: 'n'.repeat(1025) }, 'name'],
    ['an unknown field', { email: 'a@example.com', stripeCustomerId: 'cus_x' }, 'stripeCustomerId'],
    ['a non-object body', [1, 2], ''],
    ['null', null, ''],
  ])('rejects %s with 422', async (_name, json, message) => {
    const res = await put('sync_2', json);
    expect(res.status).toBe(422);
    const { error } = await body(res);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toContain(message);
  });

  it('accepts exactly 1024 characters of name', async () => {
    expect((await put('sync_3', { name: 'n'.repeat(1024) })).status).toBe(200);
  });
});

describe('bad input never yields a 500', () => {
  it('malformed JSON → 422 envelope', async () => {
    const res = await api.request('/api/v1/sessions', {
      method: 'POST',
      apiKey: vega.apiKey,
      headers: { 'content-type': 'application/json' },
      body: '{"externalUserId": ',
    });
    expect(res.status).toBe(422);
    expect(await body(res)).toEqual({ error: { code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON' } });
  });

  it('wrong content type → 415', async () => {
    const res = await api.request('/api/v1/sessions', { method: 'POST', apiKey: vega.apiKey, headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(415);
    expect((await body(res)).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('oversized body → 413', async () => {
    const res = await api.request('/api/v1/customers/big', { method: 'PUT', apiKey: vega.apiKey, json: { name: 'x'.repeat(100_000) } });
    expect(res.status).toBe(413);
    expect((await body(res)).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('unknown routes → 404 envelope, with and without a key', async () => {
    for (const res of [await api.request('/api/v1/nope', { apiKey: vega.apiKey }), await api.request('/nope')]) {
      expect(res.status).toBe(404);
      expect((await body(res)).error.code).toBe('NOT_FOUND');
    }
  });

  it('never leaks a stack trace', async () => {
    const res = await api.request('/api/v1/sessions', {
      method: 'POST',
      apiKey: vega.apiKey,
      headers: { 'content-type': 'application/json' },
      body: '\u0000\u0001',
    });
    const text = await res.text();
    expect(res.status).toBeLessThan(500);
    expect(text).not.toMatch(/at \w+ \(|node_modules/);
  });

  it('every response carries a request id', async () => {
    const res = await api.request('/api/v1/plans', { apiKey: vega.apiKey });
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    const echoed = await api.request('/api/v1/plans', { apiKey: vega.apiKey, headers: { 'x-request-id': 'my-trace-1' } });
    expect(echoed.headers.get('x-request-id')).toBe('my-trace-1');
  });
});

describe('app isolation', () => {
  it("never reads or writes another app's customers or subscriptions", async () => {
    await api.grantSubscription({ appSlug: 'vega', externalUserId: 'shared_id', planSlug: 'pro', days: 30 });
    await api.request('/api/v1/customers/shared_id', { method: 'PUT', apiKey: vega.apiKey, json: { email: 'vega@example.com' } });

    const eligibility = await body(await api.request('/api/v1/customers/shared_id/subscription', { apiKey: other.apiKey }));
    expect(eligibility).toEqual({ base: null, addons: [] });

    const put = await body(await api.request('/api/v1/customers/shared_id', { method: 'PUT', apiKey: other.apiKey, json: { email: 'other@example.com' } }));
    expect(put.email).toBe('other@example.com');

    const db = api.prisma;
    const rows = await db.customer.findMany({ where: { externalUserId: 'shared_id' }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.appId, r.email])).toEqual([
      [vega.id, 'vega@example.com'],
      [other.id, 'other@example.com'],
    ]);
    expect((await body(await api.request('/api/v1/customers/shared_id/subscription', { apiKey: vega.apiKey }))).base.status).toBe('ACTIVE');

    const session = await api.request('/api/v1/sessions', { method: 'POST', apiKey: other.apiKey, json: { externalUserId: 'shared_id', appSlug: 'vega' } });
    expect(session.status).toBe(401);
  });
});

describe('API docs', () => {
  it('serves interactive docs and an OpenAPI document built from the zod schemas', async () => {
    const page = await api.request('/docs/api');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    const css = await api.request('/docs/api/assets/swagger-ui.css');
    expect(css.status).toBe(200);
    const doc = await body(await api.request('/docs/api/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/sessions',
        '/api/v1/customers/{externalUserId}/subscription',
        '/api/v1/customers/{externalUserId}',
        '/api/v1/plans',
        '/api/v1/webhooks/stripe',
        '/api/health',
      ]),
    );
    expect(doc.components.schemas.Plan.required).toEqual(['slug', 'name', 'priceAmount', 'currency', 'interval', 'trialDays', 'prices']);
    const createSession = doc.paths['/api/v1/sessions'].post.requestBody.content['application/json'].schema;
    expect(createSession.properties.externalUserId.maxLength).toBe(256);
    expect(createSession.additionalProperties).toBe(false);
  });
});
