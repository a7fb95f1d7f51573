/**
 * Every route of the table, in Unkey's shape: the happy path (the request the
 * docs show, as /docs/api's "Try it out" sends it), an error, and security (no
 * key, a wrong key, another app's key). The routes come from the table and
 * the requests from the served document, so a new route is covered here too.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { ROUTES } from './routes.ts';

const WEBHOOK_SECRET = 'whsec_routes_test';
let api: TestApi;
let vega: { id: string; slug: string; apiKey: string };
let other: { id: string; slug: string; apiKey: string };
let doc: any;

beforeAll(async () => {
  api = await startTestApi({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  // The documented examples name app "vega" and user "user_123".
  vega = await api.createApp({ slug: 'vega', returnUrl: 'https://vega.aquoris.ai/settings' });
  other = await api.createApp({ slug: 'other-app', returnUrl: 'https://other.example.com/' });
  await api.createPlan({ slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month' });
  doc = await body(await api.request('/api/v1/openapi.json'));
});
afterAll(() => api.close());

/** The request "Try it out" sends for an operation: path parameters and body from the document's examples. */
function documentedRequest(path: string, method: string, apiKey?: string): Promise<Response> {
  const operation = doc.paths[path][method];
  let url = path;
  for (const parameter of operation.parameters.filter((p: any) => p.in === 'path'))
    url = url.replace(`{${parameter.name}}`, encodeURIComponent(parameter.example));
  const body = operation.requestBody?.content['application/json'].example;
  return api.request(url, { method: method.toUpperCase(), ...(apiKey && { apiKey }), ...(body !== undefined && { json: body }) });
}

async function body(res: Response): Promise<any> {
  return res.json();
}

const appRoutes = ROUTES.filter((r) => r.auth === 'app');

/**
 * Routes whose documented example needs state in Stripe, money in a wallet or an app's own Stripe account (a
 * customer with a Stripe customer, a paid Checkout Session, a paid deposit, an open invoice, valid account keys):
 * their happy paths run against the Stripe emulator in portal-verify.int.test.ts, src/wallets/wallets.int.test.ts,
 * invoice-payment-intent.int.test.ts and src/stripe/accounts.int.test.ts instead.
 */
const NEEDS_STRIPE_STATE = new Set([
  'createPortalSession',
  'verifyCheckout',
  'createWalletDeposit',
  'verifyWalletDeposit',
  'createWalletDebit',
  'createInvoicePaymentIntent',
  'validateStripeConfig',
  'putStripePlanPrice',
]);

describe.each(appRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s', (_name, route) => {
  // Registered for every route but those (never skipped: their happy path is another file's test).
  if (!NEEDS_STRIPE_STATE.has(route.operationId)) {
    it('happy: the documented example succeeds with the documented body', async () => {
      const res = await documentedRequest(route.path, route.method, vega.apiKey);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
      expect(route.response.schema.safeParse(await body(res)).success).toBe(true);
    });
  }

  it.each([
    ['no key', undefined],
    ['a wrong key', 'aqb_notarealkey'],
    ['a malformed header', 'Basic abc'],
  ])('security: %s is 401 UNAUTHORIZED', async (_case, header) => {
    const operation = doc.paths[route.path][route.method];
    const url = route.path.replace('{externalUserId}', 'user_123');
    const example = operation.requestBody?.content['application/json'].example;
    const res = await api.request(url, {
      method: route.method.toUpperCase(),
      ...(header && { headers: { authorization: header } }),
      ...(example !== undefined && { json: example }),
    });
    expect(res.status).toBe(401);
    expect(await body(res)).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
  });

  it('error: another method is 405 with Allow', async () => {
    const url = route.path.replace('{externalUserId}', 'user_123');
    // No v1 route takes PATCH.
    const res = await api.request(url, { method: 'PATCH', apiKey: vega.apiKey });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain(route.method.toUpperCase());
    expect((await body(res)).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('POST /api/v1/sessions', () => {
  it("security: another app's key cannot open a session for vega", async () => {
    const res = await api.request('/api/v1/sessions', { method: 'POST', apiKey: other.apiKey, json: { externalUserId: 'user_123', appSlug: 'vega' } });
    expect(res.status).toBe(401);
    expect((await body(res)).error.code).toBe('UNAUTHORIZED');
  });

  it('error: an unknown planSlug is 404 PLAN_NOT_FOUND', async () => {
    const res = await api.request('/api/v1/sessions', {
      method: 'POST',
      apiKey: vega.apiKey,
      json: { externalUserId: 'user_123', appSlug: 'vega', intent: 'upgrade', planSlug: 'nope' },
    });
    expect(res.status).toBe(404);
    expect((await body(res)).error.code).toBe('PLAN_NOT_FOUND');
  });
});

describe('customers', () => {
  it("security: another app's key neither sees nor changes vega's customer", async () => {
    await api.request('/api/v1/customers/shared_user', { method: 'PUT', apiKey: vega.apiKey, json: { email: 'vega@example.com' } });
    await api.grantSubscription({ appSlug: 'vega', externalUserId: 'shared_user', planSlug: 'pro', days: 30 });
    const theirs = await api.request('/api/v1/customers/shared_user/subscription', { apiKey: other.apiKey });
    expect(await body(theirs)).toEqual({ base: null, addons: [] });
    const put = await api.request('/api/v1/customers/shared_user', { method: 'PUT', apiKey: other.apiKey, json: { email: 'other@example.com' } });
    expect((await body(put)).email).toBe('other@example.com');
    const ours = await api.prisma.customer.findUniqueOrThrow({
      where: { appId_externalUserId: { appId: vega.id, externalUserId: 'shared_user' } },
    });
    expect(ours.email).toBe('vega@example.com');
    const mine = await api.request('/api/v1/customers/shared_user/subscription', { apiKey: vega.apiKey });
    expect((await body(mine)).base.plan.slug).toBe('pro');
  });

  it('error: an empty upsert body and a control character in the id are 422 VALIDATION_ERROR', async () => {
    const empty = await api.request('/api/v1/customers/user_123', { method: 'PUT', apiKey: vega.apiKey, json: {} });
    expect(empty.status).toBe(422);
    const control = await api.request('/api/v1/customers/a%00b/subscription', { apiKey: vega.apiKey });
    expect(control.status).toBe(422);
    expect((await body(control)).error.code).toBe('VALIDATION_ERROR');
  });
});

describe('GET /api/v1/plans', () => {
  it("security: plans are the same for every app's key, and carry no internal fields", async () => {
    const mine = await body(await api.request('/api/v1/plans', { apiKey: vega.apiKey }));
    const theirs = await body(await api.request('/api/v1/plans', { apiKey: other.apiKey }));
    expect(theirs).toEqual(mine);
    expect(JSON.stringify(mine)).not.toMatch(/stripePriceId|"id"/);
  });
});

describe('public routes: GET /api/health and GET /api/v1/openapi.json', () => {
  it.each(['/api/health', '/api/v1/openapi.json'])('happy and security: %s answers without a key, and a wrong key changes nothing', async (path) => {
    const plain = await api.request(path);
    const withBadKey = await api.request(path, { apiKey: 'aqb_notarealkey' });
    expect(plain.status).toBe(200);
    expect(withBadKey.status).toBe(200);
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    const route = ROUTES.find((r) => r.path === path)!;
    expect(route.response.schema.safeParse(await body(plain)).success).toBe(true);
  });

  it('error: another method is 405', async () => {
    const res = await api.request('/api/health', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('POST /api/v1/webhooks/stripe', () => {
  const sign = (payload: string, secret: string) => {
    const t = Math.floor(Date.now() / 1000);
    return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex')}`;
  };
  const post = (payload: string, signature?: string) =>
    api.request('/api/v1/webhooks/stripe', {
      method: 'POST',
      body: payload,
      headers: { 'content-type': 'application/json', ...(signature && { 'stripe-signature': signature }) },
    });

  it('happy: a signed event of an unhandled type is acknowledged with the documented body', async () => {
    const payload = JSON.stringify({ id: 'evt_routes_1', object: 'event', type: 'customer.created', data: { object: {} } });
    const res = await post(payload, sign(payload, WEBHOOK_SECRET));
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ received: true, action: 'ignored' });
  });

  it('security: a missing or wrongly signed event is 400 INVALID_SIGNATURE', async () => {
    const payload = JSON.stringify({ id: 'evt_routes_2', object: 'event', type: 'invoice.paid', data: { object: {} } });
    for (const signature of [undefined, sign(payload, 'whsec_someone_else')]) {
      const res = await post(payload, signature);
      expect(res.status).toBe(400);
      expect((await body(res)).error.code).toBe('INVALID_SIGNATURE');
    }
  });

  it('error: a body over 1 MB is 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }), 't=1,v1=00');
    expect(res.status).toBe(413);
    expect((await body(res)).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
