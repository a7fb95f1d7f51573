/**
 * Contract tests: the BUILT SDK (dist/, ESM and CJS) against the real API
 * (apps/api's test harness: the Express server over a fresh PostgreSQL
 * database, and Redis for the rate limit). Every method, every error code the
 * API can produce for a client app, and the cache against real state changes.
 *
 *   npx vitest run packages/sdk/test --root /work/main
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, WORKSPACE_DIR, ensureBuilt } from './build.ts';

type Sdk = typeof import('../src/index.ts');

/** The part of apps/api/src/testing's TestApi these tests use (declared here so the SDK's typecheck stays independent of the API's sources). */
interface TestApi {
  baseUrl: string;
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

const HARNESS = join(WORKSPACE_DIR, 'apps/api/src/testing/index.ts');
const TIMEOUT = 30_000;

describe.skipIf(!existsSync(HARNESS))('contract: built SDK against the real API', { timeout: TIMEOUT }, () => {
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
    const harness = (await import(pathToFileURL(HARNESS).href)) as { startTestApi(): Promise<TestApi> };
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
      expect(health).toEqual({ status: 'ok', timestamp: expect.any(String), checks: { database: 'ok' } });
      expect(Number.isNaN(Date.parse(health.timestamp))).toBe(false);
    });
  });

  describe('plans.list()', () => {
    it('lists the active plans with exactly the documented fields', async () => {
      const { plans } = await billing.plans.list();
      expect(plans).toEqual(
        expect.arrayContaining([
          { slug: pro, name: 'Aquoris PRO', priceAmount: 29900, currency: 'thb', interval: 'month', trialDays: 0 },
          { slug: team, name: 'Aquoris Team', priceAmount: 9900, currency: 'usd', interval: 'year', trialDays: 14 },
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

    it('422 VALIDATION_ERROR for an invalid email, an over-long name or an empty body', async () => {
      const userId = `upsert-bad-${run}`;
      for (const body of [{ email: 'not-an-email' }, { name: 'x'.repeat(1025) }, {}]) {
        const error = await billing.customers.upsert(userId, body as { name: string }).catch((e: unknown) => e);
        expect(error, JSON.stringify(body).slice(0, 40)).toBeInstanceOf(sdk.ValidationError);
        expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 422, requestId: expect.any(String) });
      }
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

    it('accepts intent "upgrade" with a plan and a returnUrl on a subdomain of the app', async () => {
      const session = await billing.sessions.create({
        externalUserId: `session-${run}`,
        intent: 'upgrade',
        planSlug: pro,
        returnUrl: `https://app.vega-${run}.example.com/settings/billing`,
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

    it('422 VALIDATION_ERROR for a bad body and for a returnUrl on another domain', async () => {
      const cases = [
        { externalUserId: 'x'.repeat(257) },
        { externalUserId: 'u', user: { email: 'nope' } },
        { externalUserId: 'u', planSlug: pro }, // planSlug needs intent "upgrade"
        { externalUserId: 'u', returnUrl: 'https://evil.com/phish' },
        { externalUserId: 'u', returnUrl: `https://vega-${run}.example.com.evil.com/` },
      ];
      for (const params of cases) {
        const error = await billing.sessions.create(params).catch((e: unknown) => e);
        expect(error, JSON.stringify(params).slice(0, 60)).toBeInstanceOf(sdk.ValidationError);
        expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 422, requestId: expect.any(String) });
      }
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

  describe('transport', () => {
    it('CONNECTION_ERROR when nothing listens', async () => {
      const closed = new sdk.AquorisBilling({ apiKey: 'k', appSlug: 'a', baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
      const error = await closed.plans.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(sdk.ConnectionError);
      expect(error).toMatchObject({ code: 'CONNECTION_ERROR', status: undefined });
    });
  });
});
