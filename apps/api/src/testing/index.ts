import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createApp, createPlan, grantManualSubscription, type Clock, type CreatePlanInput, type GrantSubscriptionInput, type SystemActor } from '@aquoris/core';
import { createInspectionClient, type InspectionClient } from '@aquoris/db/testing';
import { parseEnv, type Env } from '../env.ts';
import { createApiServer, type ApiServer } from '../server.ts';
import { createFreshDatabase } from './database.ts';

export { createFreshDatabase } from './database.ts';
export { startFakeSentry, throwInPageUntilReported, type FakeSentry } from './fake-sentry.ts';
export { freePort } from './ports.ts';
import { freePort } from './ports.ts';

export const TEST_ACTOR: SystemActor = { type: 'system', name: 'test' };

export interface TestApi {
  baseUrl: string;
  env: Env;
  server: ApiServer;
  databaseUrl: string;
  /** Prisma's client over this API's database, to inspect rows in assertions (tests only). */
  prisma: InspectionClient;
  createApp(input?: { slug?: string; name?: string; returnUrl?: string; rateLimitPerMinute?: number }): Promise<{ id: string; slug: string; apiKey: string }>;
  createPlan(input: CreatePlanInput): Promise<{ id: string; slug: string }>;
  /** Grants a manual subscription and returns once this API's eligibility cache has seen it. */
  grantSubscription(input: GrantSubscriptionInput): Promise<unknown>;
  /** fetch against the API with an optional bearer key. */
  request(path: string, init?: RequestInit & { apiKey?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export function testEnv(databaseUrl: string, port: number, overrides: Record<string, string> = {}): Env {
  return parseEnv({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ADMIN_SESSION_SECRET: randomBytes(32).toString('hex'),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `aqbt${randomBytes(4).toString('hex')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXT_PUBLIC_APP_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_POOL_SIZE: '5',
    ...overrides,
  });
}

/** Removes what a test server left in the shared Redis under its own prefix (queues, rate-limit windows). */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis away (a test stopped it): nothing to clean.
  } finally {
    redis.disconnect();
  }
}

let counter = 0;

/** The real API on a random port over a fresh database (and the real Redis). */
export async function startTestApi(
  options: { env?: Record<string, string>; clock?: Clock; databaseUrl?: string; port?: number; logger?: Logger } = {},
): Promise<TestApi> {
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => {} } : await createFreshDatabase();
  const port = options.port ?? (await freePort());
  const env = testEnv(database.url, port, options.env);
  const server = await createApiServer(env, { ...(options.clock ? { clock: options.clock } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  const { url: baseUrl } = await server.listen(port, '127.0.0.1');
  const deps = server.deps;
  const prisma = createInspectionClient(database.url);

  return {
    baseUrl,
    env,
    server,
    databaseUrl: database.url,
    prisma,
    async createApp(input = {}) {
      const slug = input.slug ?? `app-${Date.now().toString(36)}-${++counter}`;
      const { app, apiKey } = await createApp(deps, TEST_ACTOR, {
        slug,
        name: input.name ?? `App ${slug}`,
        returnUrl: input.returnUrl ?? `https://${slug}.example.com/settings`,
        ...(input.rateLimitPerMinute ? { rateLimitPerMinute: input.rateLimitPerMinute } : {}),
      });
      return { id: app.id, slug: app.slug, apiKey };
    },
    // An active paid plan needs a Stripe price (core refuses one without): a placeholder id, for tests that grant plans
    // and read eligibility but never check out (those use testing/catalog.ts, with prices in the emulator).
    createPlan: (input) =>
      createPlan(deps, TEST_ACTOR, {
        ...input,
        ...(input.priceAmount > 0 && input.active !== false && !input.stripePriceId
          ? { stripePriceId: `price_placeholder_${input.slug.replace(/-/g, '_')}_${++counter}` }
          : {}),
      }),
    async grantSubscription(input) {
      const granted = await grantManualSubscription(deps, TEST_ACTOR, input);
      // Read-your-write for the test: the next eligibility request sees the grant, not an answer cached before it.
      await server.eligibilityCache.sync();
      return granted;
    },
    request(path, init = {}) {
      const { apiKey, json, headers, ...rest } = init;
      const h = new Headers(headers);
      if (apiKey) h.set('authorization', `Bearer ${apiKey}`);
      if (json !== undefined) h.set('content-type', 'application/json');
      return fetch(`${baseUrl}${path}`, { ...rest, headers: h, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    async close() {
      await prisma.$disconnect();
      await server.close();
      await deleteRedisKeys(env.REDIS_URL, env.REDIS_KEY_PREFIX);
      await database.drop();
    },
  };
}

/**
 * Two API instances over one database and one Redis namespace, as in a multi-instance deployment: started
 * before a file's tests, closed after them. `use` receives both once they are up.
 */
export function useTwoApiInstances(use: (a: TestApi, b: TestApi) => void): void {
  let a: TestApi | undefined;
  let b: TestApi | undefined;
  beforeAll(async () => {
    a = await startTestApi();
    b = await startTestApi({ databaseUrl: a.databaseUrl, env: { REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX } });
    use(a, b);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });
}
