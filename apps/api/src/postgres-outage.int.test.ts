import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@aquoris/db/testing';
import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { EligibilityCache } from './rest/eligibility-cache.ts';
import { startTestApi, type TestApi } from './testing/index.ts';
import { startPrivatePostgres, type PrivatePostgres } from './testing/postgres-server.ts';
import { openSubscriber, type Subscriber } from './testing/subscriber.ts';
import { waitFor } from './testing/wait.ts';

// Issue 15, items 2 and 3: a stopped PostgreSQL gave 500 INTERNAL_ERROR everywhere, and a frozen one made requests
// hang for the whole freeze. Now every transport answers 503 SERVICE_UNAVAILABLE with Retry-After, within the
// connect and statement timeouts, and eligibility keeps answering from its cache. On a private server this test
// stops, starts, freezes (SIGSTOP) and thaws.

const WEBHOOK_SECRET = 'whsec_postgres_outage_test';
let server: PrivatePostgres;
let database: TestDatabase;
let api: TestApi;
let app: { id: string; slug: string; apiKey: string };
let subscriber: Subscriber;
let heldBody: string;
const lines: any[] = [];

beforeAll(async () => {
  server = await startPrivatePostgres();
  database = await createTestDatabase(server.adminUrl);
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  api = await startTestApi({
    databaseUrl: database.url,
    logger: createLogger('info', sink),
    env: { DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: '1000', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, WORKER_IN_PROCESS: 'false' },
  });
  app = await api.createApp({ slug: 'vega', rateLimitPerMinute: 100_000 });
  await api.createPlan({ slug: 'pro', name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month' });
  await api.grantSubscription({ appSlug: 'vega', externalUserId: 'held', planSlug: 'pro', days: 30 });
  heldBody = await (await eligibility('held')).text();
  subscriber = await openSubscriber(api, app, 'subscriber');
});
afterAll(async () => {
  server?.thaw();
  await server?.start();
  await api?.close();
  await server?.destroy();
});

const eligibility = (user: string, signal?: AbortSignal) =>
  api.request(`/api/v1/customers/${user}/subscription`, { apiKey: app.apiKey, ...(signal ? { signal } : {}) });

function signedEvent(): { body: string; signature: string } {
  const body = JSON.stringify({
    id: `evt_outage_${Date.now()}`,
    object: 'event',
    type: 'customer.subscription.updated',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    api_version: '2025-01-27.acacia',
    data: { object: { id: 'sub_outage', object: 'subscription' } },
  });
  return { body, signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET }) };
}

/** One call per transport that needs the database, each as a client sends it. */
const CALLS: Record<string, () => Promise<Response>> = {
  'REST eligibility (not cached)': () => eligibility('not-held'),
  'REST sessions': () => api.request('/api/v1/sessions', { method: 'POST', apiKey: app.apiKey, json: { externalUserId: 'new-user', appSlug: 'vega' } }),
  'REST customers': () => api.request('/api/v1/customers/subscriber', { method: 'PUT', apiKey: app.apiKey, json: { email: 'a@example.com' } }),
  'REST plans': () => api.request('/api/v1/plans', { apiKey: app.apiKey }),
  tRPC: () => fetch(`${api.baseUrl}/trpc/billing.overview`, { headers: { cookie: subscriber.cookie } }),
  'Stripe webhook': () => {
    const { body, signature } = signedEvent();
    return fetch(`${api.baseUrl}/api/v1/webhooks/stripe`, {
      method: 'POST',
      headers: { 'stripe-signature': signature, 'content-type': 'application/json' },
      body,
    });
  },
};

/** Every call, at once: each must be a 503 SERVICE_UNAVAILABLE with Retry-After, within `boundMs`. */
async function expectEveryTransportUnavailable(boundMs: number): Promise<void> {
  await Promise.all(
    Object.entries(CALLS).map(async ([name, call]) => {
      const started = Date.now();
      const res = await call();
      const ms = Date.now() - started;
      const body = (await res.json()) as any;
      const code = name === 'tRPC' ? body.error.data.appCode : body.error?.code;
      expect({ name, status: res.status, code, retryAfter: res.headers.get('retry-after') }).toEqual({
        name,
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        retryAfter: '5',
      });
      expect(ms, name).toBeLessThan(boundMs);
    }),
  );
}

async function expectCachedEligibilityAnswers(): Promise<void> {
  const res = await eligibility('held');
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(heldBody);
}

async function expectRecovered(): Promise<void> {
  await waitFor(async () => (await CALLS['REST plans']!()).status === 200, { timeoutMs: 30_000, intervalMs: 200, what: 'the API to reach PostgreSQL again' });
  for (const [name, call] of Object.entries(CALLS)) expect((await call()).status, name).toBe(200);
  await waitFor(() => api.server.eligibilityCache.isServing, { timeoutMs: 30_000, what: 'the eligibility cache to listen again' });
}

describe('PostgreSQL stopped', () => {
  it('every transport answers 503 SERVICE_UNAVAILABLE with Retry-After at once, and logs it with its cause', async () => {
    await server.stop();
    await expectEveryTransportUnavailable(5_000);
    const failures = lines.filter((l) => l.level >= 50 && l.code === 'SERVICE_UNAVAILABLE');
    expect(failures.map((l) => l.msg)).toEqual(expect.arrayContaining(['request failed', 'trpc request failed']));
    for (const failure of failures) expect(failure.err?.message ?? failure.err?.type, JSON.stringify(failure)).toBeTruthy();
  });

  it('eligibility keeps answering from the cache what it holds', async () => {
    await waitFor(() => !api.server.eligibilityCache.isServing, { what: 'the cache to notice' });
    await expectCachedEligibilityAnswers();
    expect(api.server.eligibilityCache.get(EligibilityCache.key(app.id, 'held'))).toBe(heldBody);
  });

  it('recovers by itself when PostgreSQL is back, notifications included', async () => {
    await server.start();
    await expectRecovered();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`UPDATE subscriptions SET status = 'CANCELED' WHERE "customerId" = (SELECT id FROM customers WHERE "externalUserId" = 'held')`);
    await client.end();
    await waitFor(async () => (await (await eligibility('held')).text()) === '{"base":null,"addons":[]}', { what: 'the change to reach the cache' });
    await api.grantSubscription({ appSlug: 'vega', externalUserId: 'held', planSlug: 'pro', days: 30 });
    heldBody = await (await eligibility('held')).text();
    expect(JSON.parse(heldBody).base.status).toBe('ACTIVE');
  });
});

describe('PostgreSQL frozen (SIGSTOP, as in a network partition)', () => {
  it('every transport answers 503 within the connect and statement timeouts, not after the freeze', async () => {
    server.freeze();
    // Statement timeout 1 s (+1 s for the client's own), connect timeout 1 s: a few seconds on a busy machine at most.
    await expectEveryTransportUnavailable(10_000);
    await expectCachedEligibilityAnswers();
  });

  it('a request the client abandons is logged all the same', async () => {
    const abandoned = await api.request('/api/v1/plans', { apiKey: app.apiKey, signal: AbortSignal.timeout(300) }).catch((error: unknown) => error);
    expect(abandoned).toBeInstanceOf(Error);
    const line = await waitFor(() => lines.find((l) => l.msg === 'request' && l.path === '/api/v1/plans' && l.aborted === true), {
      what: 'the abandoned request to be logged',
    });
    expect(line).toMatchObject({ method: 'GET', requestId: expect.stringMatching(/^req_/), appId: app.id });
  });

  it('recovers by itself when PostgreSQL thaws', async () => {
    server.thaw();
    await expectRecovered();
  });
});
