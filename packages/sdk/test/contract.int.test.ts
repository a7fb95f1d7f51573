/**
 * Contract tests: the BUILT SDK (dist/, ESM and CJS) against the real API
 * (apps/api's test harness: the Express server over a fresh PostgreSQL
 * database, and Redis for the rate limit). Every method, every error code the
 * API can produce for a client app, and the cache against real state changes.
 *
 *   npx vitest run packages/sdk/test --root /work/main
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, WORKSPACE_DIR, ensureBuilt } from './build.ts';

type Sdk = typeof import('../src/index.ts');

/** The part of apps/api/src/testing's TestApi these tests use (declared here so the SDK's typecheck stays independent of the API's sources). */
interface TestApi {
  baseUrl: string;
  databaseUrl: string;
  createApp(input?: { slug?: string; returnUrl?: string; rateLimitPerMinute?: number }): Promise<{ id: string; slug: string; apiKey: string }>;
  createPlan(input: {
    slug: string;
    name: string;
    priceAmount: number;
    currency: 'thb' | 'usd';
    interval: 'month' | 'year';
    trialDays?: number;
    active?: boolean;
  }): Promise<unknown>;
  grantSubscription(input: { appSlug: string; externalUserId: string; planSlug: string; days: number }): Promise<unknown>;
  close(): Promise<void>;
}

interface Harness {
  startTestApi(options?: { env?: Record<string, string>; databaseUrl?: string }): Promise<TestApi>;
}

const HARNESS = join(WORKSPACE_DIR, 'apps/api/src/testing/index.ts');
const TIMEOUT = 60_000;

/** A URL of the test PostgreSQL server naming a database that does not exist: every query fails at once. */
function missingDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/aquoris_missing_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

/** A slow endpoint: forwards every request to the real API after `delayMs`. Counts what it received. */
async function startSlowProxy(target: string, delayMs: number): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const timer = setTimeout(() => {
      const upstream = httpRequest(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    }, delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// No skipIf: a harness that moved must fail these tests loudly, never skip them.
describe('contract: built SDK against the real API', { timeout: TIMEOUT }, () => {
  let harness: Harness;
  let api: TestApi;
  let sdk: Sdk;
  let cjs: Sdk;
  let app: { slug: string; apiKey: string };
  let other: { slug: string; apiKey: string };
  let billing: InstanceType<Sdk['AquorisBilling']>;
  const run = Date.now().toString(36);
  const pro = `pro-${run}`;
  const team = `team-${run}`;
  const retired = `retired-${run}`;

  beforeAll(async () => {
    await ensureBuilt();
    sdk = (await import(pathToFileURL(join(DIST_DIR, 'index.js')).href)) as Sdk;
    cjs = createRequire(import.meta.url)(join(DIST_DIR, 'index.cjs')) as Sdk;
    if (!existsSync(HARNESS)) throw new Error(`apps/api's test harness is not at ${HARNESS}: the contract tests need it (update HARNESS if it moved)`);
    harness = (await import(pathToFileURL(HARNESS).href)) as Harness;
    api = await harness.startTestApi();
    app = await api.createApp({ slug: `vega-${run}`, returnUrl: `https://vega-${run}.example.com/settings` });
    other = await api.createApp({ slug: `lyra-${run}` });
    await api.createPlan({ slug: pro, name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month' });
    await api.createPlan({ slug: team, name: 'Aquoris Team', priceAmount: 9900, currency: 'usd', interval: 'year', trialDays: 14 });
    await api.createPlan({ slug: retired, name: 'Old', priceAmount: 100, currency: 'usd', interval: 'month', active: false });
    billing = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: api.baseUrl, maxRetries: 0 });
  }, 180_000);

  afterAll(async () => {
    await api?.close();
  }, 60_000);

  describe('health()', () => {
    it('returns the health body without an API key', async () => {
      const anonymous = new sdk.AquorisBilling({ apiKey: 'not-a-key', appSlug: 'none', baseUrl: api.baseUrl });
      const health = await anonymous.health();
      expect(health).toEqual({ status: 'ok', timestamp: expect.any(String), checks: { database: 'ok', redis: 'ok' } });
      expect(Number.isNaN(Date.parse(health.timestamp))).toBe(false);
    });
  });

  describe('plans.list()', () => {
    it('lists the active plans with exactly the documented fields', async () => {
      const { plans } = await billing.plans.list();
      expect(plans).toEqual(
        expect.arrayContaining([
          {
            slug: pro,
            name: 'Aquoris PRO',
            priceAmount: 29900,
            currency: 'thb',
            interval: 'month',
            trialDays: 0,
            prices: [{ interval: 'month', priceAmount: 29900, currency: 'thb' }],
          },
          {
            slug: team,
            name: 'Aquoris Team',
            priceAmount: 9900,
            currency: 'usd',
            interval: 'year',
            trialDays: 14,
            prices: [{ interval: 'year', priceAmount: 9900, currency: 'usd' }],
          },
        ]),
      );
      expect(plans.map((plan) => plan.slug)).not.toContain(retired);
    });

    it('works the same from the CJS build', async () => {
      const client = new cjs.AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: api.baseUrl });
      const { plans } = await client.plans.list();
      expect(plans.map((plan) => plan.slug)).toContain(pro);
    });
  });

  describe('customers.getSubscription() and the gating helpers', () => {
    it('answers { base: null, addons: [] } for an unknown user (never a 404)', async () => {
      const eligibility = await billing.customers.getSubscription(`nobody-${run}`);
      expect(eligibility).toEqual({ base: null, addons: [] });
      expect(sdk.hasAccess(eligibility)).toBe(false);
      expect(sdk.endsAt(eligibility)).toBeNull();
    });

    it('reports a granted subscription, and the helpers read it', async () => {
      const userId = `granted-${run}`;
      await api.grantSubscription({ appSlug: app.slug, externalUserId: userId, planSlug: pro, days: 30 });
      const eligibility = await billing.customers.getSubscription(userId);
      expect(eligibility).toEqual({
        base: {
          status: 'ACTIVE',
          plan: { slug: pro, name: 'Aquoris PRO', interval: 'month' },
          currentPeriodEnd: expect.any(String),
          cancelAtPeriodEnd: false,
          source: 'MANUAL',
        },
        addons: [],
      });
      const days = (Date.parse(eligibility.base?.currentPeriodEnd ?? '') - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThanOrEqual(30);
      expect(sdk.hasAccess(eligibility)).toBe(true);
      expect(sdk.hasPlan(eligibility, pro)).toBe(true);
      expect(sdk.hasPlan(eligibility, team)).toBe(false);
      expect(sdk.willRenew(eligibility)).toBe(true);
      expect(await billing.customers.hasPlan(userId, [team, pro])).toBe(true);
    });

    it('URL-encodes ids: a user id with "/", "|", "?", "#", spaces and non-ASCII round-trips', async () => {
      const userId = `auth0|user/${run}?x=1#frag é ü`;
      await api.grantSubscription({ appSlug: app.slug, externalUserId: userId, planSlug: team, days: 7 });
      const eligibility = await billing.customers.getSubscription(userId);
      expect(eligibility.base?.plan.slug).toBe(team);
      const customer = await billing.customers.upsert(userId, { name: 'Encoded' });
      expect(customer.externalUserId).toBe(userId);
    });

    it("is isolated per app: another app's key does not see this app's subscription", async () => {
      const userId = `granted-${run}`;
      const lyra = new sdk.AquorisBilling({ apiKey: other.apiKey, appSlug: other.slug, baseUrl: api.baseUrl });
      expect(await lyra.customers.getSubscription(userId)).toEqual({ base: null, addons: [] });
    });

    it('cache: serves the cached answer until invalidated (e.g. after a checkout redirect)', async () => {
      const userId = `checkout-${run}`;
      const cached = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: api.baseUrl, cache: { ttlMs: 60_000 } });
      expect((await cached.customers.getSubscription(userId)).base).toBeNull();
      await api.grantSubscription({ appSlug: app.slug, externalUserId: userId, planSlug: pro, days: 30 });
      expect((await cached.customers.getSubscription(userId)).base).toBeNull(); // still cached
      cached.customers.invalidate(userId);
      expect(await cached.customers.hasPlan(userId, pro)).toBe(true);
    });
  });

  describe('customers.upsert()', () => {
    it('creates, then updates one field while keeping the other', async () => {
      const userId = `upsert-${run}`;
      const created = await billing.customers.upsert(userId, { email: 'alice@example.com', name: 'Alice' });
      expect(created).toEqual({ id: expect.any(String), externalUserId: userId, email: 'alice@example.com', name: 'Alice' });
      const updated = await billing.customers.upsert(userId, { name: 'Alice Smith' });
      expect(updated).toEqual({ ...created, name: 'Alice Smith' });
      expect(await billing.customers.upsert(userId, { name: 'Alice Smith' })).toEqual(updated); // idempotent
    });

    it('422 VALIDATION_ERROR for an invalid email, an over-long, empty or NUL-bearing name, or an empty body', async () => {
      const userId = `upsert-bad-${run}`;
      for (const body of [{ email: 'not-an-email' }, { name: 'x'.repeat(1025) }, { name: '' }, { name: 'a\u0000b' }, {}]) {
        const error = await billing.customers.upsert(userId, body as { name: string }).catch((e: unknown) => e);
        expect(error, JSON.stringify(body).slice(0, 40)).toBeInstanceOf(sdk.ValidationError);
        expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 422, requestId: expect.any(String) });
      }
    });

    it('422 VALIDATION_ERROR for a user id with a control character, on both customer routes', async () => {
      for (const call of [() => billing.customers.upsert('a\u0000b', { name: 'A' }), () => billing.customers.getSubscription('a\u0000b')]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(sdk.ValidationError);
        expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 422, message: expect.stringContaining('control characters') });
      }
    });

    it('413 PAYLOAD_TOO_LARGE for a body over 16 KB (not retried)', async () => {
      const error = await billing.customers.upsert(`upsert-big-${run}`, { name: 'x'.repeat(20_000) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.AquorisBillingError);
      expect(error).not.toBeInstanceOf(sdk.ValidationError);
      expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413, requestId: expect.any(String) });
    });

    it('415 UNSUPPORTED_MEDIA_TYPE when defaultHeaders declare an encoding the body does not have', async () => {
      const misconfigured = new sdk.AquorisBilling({
        apiKey: app.apiKey,
        appSlug: app.slug,
        baseUrl: api.baseUrl,
        maxRetries: 0,
        defaultHeaders: { 'Content-Encoding': 'zstd' },
      });
      const error = await misconfigured.customers.upsert(`upsert-enc-${run}`, { name: 'A' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.AquorisBillingError);
      expect(error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, requestId: expect.any(String) });
    });
  });

  describe('sessions.create()', () => {
    it('returns a session URL on the service', async () => {
      const session = await billing.sessions.create({
        externalUserId: `session-${run}`,
        user: { email: 'bob@example.com', name: 'Bob' },
      });
      expect(session).toEqual({ url: expect.stringMatching(/\/session\/[\w-]+\.[\w-]+\.[\w-]+$/) });
    });

    it('accepts intent "upgrade" with a plan and a returnUrl on the app\'s allowed origin', async () => {
      const session = await billing.sessions.create({
        externalUserId: `session-${run}`,
        intent: 'upgrade',
        planSlug: pro,
        returnUrl: `https://vega-${run}.example.com/settings/billing`,
      });
      expect(session.url).toMatch(/\/session\//);
    });

    it('401 UNAUTHORIZED for a bad API key', async () => {
      const bad = new sdk.AquorisBilling({ apiKey: 'aqb_wrong', appSlug: app.slug, baseUrl: api.baseUrl });
      const error = await bad.sessions.create({ externalUserId: 'u' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.AuthenticationError);
      expect(error).toBeInstanceOf(sdk.AquorisBillingError);
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401, requestId: expect.any(String) });
      const plans = await bad.plans.list().catch((e: unknown) => e);
      expect(plans).toBeInstanceOf(sdk.AuthenticationError);
    });

    it("401 UNAUTHORIZED when appSlug is not the key's app", async () => {
      const mismatched = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: other.slug, baseUrl: api.baseUrl });
      const error = await mismatched.sessions.create({ externalUserId: 'u' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.AuthenticationError);
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
      expect((error as Error).message).toContain(other.slug);
    });

    it('400 REDIRECT_NOT_ALLOWED (BadRequestError) for a returnUrl off the allowed origins, naming the field', async () => {
      for (const returnUrl of ['https://evil.com/phish', `https://vega-${run}.example.com.evil.com/`, `https://app.vega-${run}.example.com/`]) {
        const error = await billing.sessions.create({ externalUserId: 'u', returnUrl }).catch((e: unknown) => e);
        expect(error, returnUrl).toBeInstanceOf(sdk.BadRequestError);
        expect(error).toMatchObject({ code: 'REDIRECT_NOT_ALLOWED', status: 400, message: expect.stringMatching(/^returnUrl: /) });
      }
    });

    it('422 VALIDATION_ERROR for a bad body', async () => {
      const cases = [
        { externalUserId: 'x'.repeat(257) },
        { externalUserId: 'u', user: { email: 'nope' } },
        { externalUserId: 'u', planSlug: pro }, // planSlug needs intent "upgrade"
      ];
      for (const params of cases) {
        const error = await billing.sessions.create(params).catch((e: unknown) => e);
        expect(error, JSON.stringify(params).slice(0, 60)).toBeInstanceOf(sdk.ValidationError);
        expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 422, requestId: expect.any(String) });
      }
    });

    it('422 VALIDATION_ERROR for control characters in externalUserId and an empty user.name', async () => {
      for (const params of [{ externalUserId: 'a\u0000' }, { externalUserId: 'u', user: { name: '' } }, { externalUserId: 'u', user: { name: 'A\nB' } }]) {
        const error = await billing.sessions.create(params).catch((e: unknown) => e);
        expect(error, JSON.stringify(params)).toBeInstanceOf(sdk.ValidationError);
        expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 422, requestId: expect.any(String) });
      }
    });

    it('an unknown appSlug is 401 UNAUTHORIZED, never APP_NOT_FOUND (the key names the app; REST v1 has no APP_NOT_FOUND)', async () => {
      const unknown = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: `no-such-app-${run}`, baseUrl: api.baseUrl, maxRetries: 0 });
      const error = await unknown.sessions.create({ externalUserId: 'u' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.AuthenticationError);
      expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    });

    it('404 PLAN_NOT_FOUND for an unknown (or inactive) planSlug with intent "upgrade"', async () => {
      for (const planSlug of [`missing-${run}`, retired]) {
        const error = await billing.sessions.create({ externalUserId: 'u', intent: 'upgrade', planSlug }).catch((e: unknown) => e);
        expect(error, planSlug).toBeInstanceOf(sdk.NotFoundError);
        expect(error).toMatchObject({ code: 'PLAN_NOT_FOUND', status: 404, requestId: expect.any(String) });
      }
    });
  });

  describe('rate limit', () => {
    it("429 RATE_LIMITED with retryAfter, thrown at once with rateLimitRetry: 'throw'", async () => {
      const limited = await api.createApp({ slug: `limited-${run}`, rateLimitPerMinute: 2 });
      const client = new sdk.AquorisBilling({
        apiKey: limited.apiKey,
        appSlug: limited.slug,
        baseUrl: api.baseUrl,
        rateLimitRetry: 'throw',
      });
      let succeeded = 0;
      let error: unknown;
      // Fixed one-minute windows: a window boundary may fall between calls, so allow a few more than the limit.
      for (let i = 0; i < 6 && !error; i++) {
        try {
          await client.plans.list();
          succeeded++;
        } catch (e) {
          error = e;
        }
      }
      expect(succeeded).toBeGreaterThanOrEqual(2);
      expect(error).toBeInstanceOf(sdk.RateLimitError);
      const rateLimit = error as InstanceType<Sdk['RateLimitError']>;
      expect(rateLimit).toMatchObject({ code: 'RATE_LIMITED', status: 429, requestId: expect.any(String) });
      expect(rateLimit.retryAfter).toBeGreaterThanOrEqual(1);
      expect(rateLimit.retryAfter).toBeLessThanOrEqual(60);

      // With 'wait' but a wait budget shorter than Retry-After, it also throws instead of stalling.
      const impatient = new sdk.AquorisBilling({ apiKey: limited.apiKey, appSlug: limited.slug, baseUrl: api.baseUrl, maxRateLimitWait: 0 });
      const started = Date.now();
      await expect(impatient.plans.list()).rejects.toBeInstanceOf(sdk.RateLimitError);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });

  describe('server failures: an API whose database does not exist', () => {
    let broken: TestApi;
    let client: InstanceType<Sdk['AquorisBilling']>;

    beforeAll(async () => {
      // A second API over the same Redis but a database that is not there: every query fails, as in an outage.
      broken = await harness.startTestApi({
        databaseUrl: missingDatabaseUrl(api.databaseUrl),
        env: { ELIGIBILITY_CACHE: 'false', WORKER_IN_PROCESS: 'false' },
      });
      client = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: broken.baseUrl, maxRetries: 0 });
    }, 60_000);
    afterAll(() => broken?.close(), 60_000);

    it('every method: 500 INTERNAL_ERROR as InternalServerError, with a generic message and the request id', async () => {
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['plans.list', () => client.plans.list()],
        ['customers.getSubscription', () => client.customers.getSubscription(`u-${run}`)],
        ['customers.upsert', () => client.customers.upsert(`u-${run}`, { name: 'A' })],
        ['sessions.create', () => client.sessions.create({ externalUserId: `u-${run}` })],
      ];
      for (const [name, call] of calls) {
        const error = await call().catch((e: unknown) => e);
        expect(error, name).toBeInstanceOf(sdk.InternalServerError);
        expect(error, name).toMatchObject({ code: 'INTERNAL_ERROR', status: 500, message: 'Internal server error', requestId: expect.any(String) });
        expect((error as Error).message, name).not.toMatch(/aquoris_missing|database/i);
      }
    });

    it('retries a 500 with backoff before throwing it', async () => {
      const retrying = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: broken.baseUrl, maxRetries: 1 });
      const started = Date.now();
      await expect(retrying.plans.list()).rejects.toBeInstanceOf(sdk.InternalServerError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000); // the guide's first wait: 1 s
    });

    it('health(): the 503 is an answer, not an error: { status: "degraded", checks: { database: "error", redis: "ok" } }', async () => {
      const health = await client.health();
      expect(health).toEqual({ status: 'degraded', timestamp: expect.any(String), checks: { database: 'error', redis: 'ok' } });
    });
  });

  describe('transport', () => {
    it('CONNECTION_ERROR when nothing listens', async () => {
      const closed = new sdk.AquorisBilling({ apiKey: 'k', appSlug: 'a', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
      const error = await closed.plans.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.ConnectionError);
      expect(error).toMatchObject({ code: 'CONNECTION_ERROR', status: undefined });
    });

    it('TIMEOUT against a slow endpoint, retried like a connection error; the same endpoint answers with a longer timeout', async () => {
      const slow = await startSlowProxy(api.baseUrl, 1_000);
      try {
        const impatient = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: slow.url, timeout: 200, maxRetries: 1 });
        const error = await impatient.plans.list().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(sdk.TimeoutError);
        expect(error).toBeInstanceOf(sdk.ConnectionError);
        expect(error).toMatchObject({ code: 'TIMEOUT', status: undefined });
        expect(slow.requests()).toBe(2);
        const patient = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: slow.url, timeout: 10_000, maxRetries: 0 });
        expect((await patient.plans.list()).plans.map((plan) => plan.slug)).toContain(pro);
      } finally {
        await slow.close();
      }
    });

    it('404 NOT_FOUND when baseUrl carries a path the service does not have', async () => {
      const prefixed = new sdk.AquorisBilling({ apiKey: app.apiKey, appSlug: app.slug, baseUrl: `${api.baseUrl}/billing-api`, maxRetries: 0 });
      const error = await prefixed.plans.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.NotFoundError);
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, requestId: expect.any(String) });
    });

    it('431 REQUEST_HEADERS_TOO_LARGE for a user id too long for any URL, in the envelope', async () => {
      const error = await billing.customers.getSubscription('x'.repeat(20_000)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.AquorisBillingError);
      expect(error).toMatchObject({ code: 'REQUEST_HEADERS_TOO_LARGE', status: 431, requestId: expect.any(String) });
    });
  });
});
