import { grantManualSubscription, rotateApiKey } from '@aquoris/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { subscribe } from './testing/catalog.ts';
import { useProcessDrill } from './testing/drill.ts';
import { freePort, TEST_ACTOR } from './testing/index.ts';
import type { SpawnedProcess } from './testing/process.ts';
import { waitFor } from './testing/stripe.ts';

// The scale-out drill (issue 14): two API processes and two workers on one PostgreSQL and one Redis behave
// as one service. Each API process is also a Stripe webhook endpoint of its own, so every event reaches
// three API instances (the stack's own too), and the two workers share the queue.
const drill = useProcessDrill();
const apis: Array<{ url: string; process: SpawnedProcess }> = [];

beforeAll(async () => {
  const ports = [await freePort(), await freePort()];
  const started = await Promise.all(
    ports.map(async (port) => {
      const endpoint = await drill.stack.stripe.webhookEndpoints.create({ url: `http://127.0.0.1:${port}/api/v1/webhooks/stripe`, enabled_events: ['*'] });
      const env = { PORT: String(port), HOST: '127.0.0.1', WORKER_IN_PROCESS: 'false', STRIPE_WEBHOOK_SECRET: endpoint.secret! };
      return { url: `http://127.0.0.1:${port}`, process: await drill.start('src/main.ts', /api listening/, env) };
    }),
  );
  apis.push(...started);
  await Promise.all([drill.start('src/worker/main.ts', /worker ready/), drill.start('src/worker/main.ts', /worker ready/)]);
}, 180_000);

const get = (base: string, path: string, apiKey: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });

/** Polls every instance until `seen` holds on each; returns how long the slowest took, in ms. */
async function propagation(seen: (base: string) => Promise<boolean>): Promise<number> {
  const started = performance.now();
  const times = await Promise.all(
    apis.map(async ({ url }) => {
      await waitFor(() => seen(url), { timeoutMs: 10_000, intervalMs: 5, what: `${url} to see the change` });
      return performance.now() - started;
    }),
  );
  return Math.max(...times);
}

describe('two API processes and two workers', () => {
  it('share one exact rate limit per app', { timeout: 120_000 }, async () => {
    // A fixed one-minute window: start well inside one, so the burst is counted in a single window.
    await waitFor(() => new Date().getSeconds() < 45, { timeoutMs: 20_000, intervalMs: 200 });
    const app = await drill.stack.api.createApp({ rateLimitPerMinute: 30 });
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => get(apis[i % 2]!.url, '/api/v1/plans', app.apiKey).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    // Each instance let some through: the limit is shared, not one per instance.
    for (const offset of [0, 1]) expect(statuses.filter((s, i) => i % 2 === offset && s === 200).length).toBeGreaterThan(0);
  });

  it('applies each Stripe event once, though every API instance receives it and both workers run', { timeout: 120_000 }, async () => {
    const sub = await drill.stack.subscriber(drill.catalog.app, 'scaled');
    await subscribe(drill.stack, sub, 'pro');
    const prisma = drill.stack.api.prisma;
    const events = await waitFor(async () => {
      const rows = await prisma.stripeEvent.findMany({ where: { status: 'PROCESSED' } });
      const unprocessed = await prisma.stripeEvent.count({ where: { status: { not: 'PROCESSED' } } });
      return rows.length > 0 && unprocessed === 0 ? rows : null;
    });
    await drill.stack.control('POST', '/webhooks/flush', { timeoutMs: 20_000 });
    for (const { process } of apis) expect(process.stdout()).toMatch(/"path":"\/api\/v1\/webhooks\/stripe","status":200/);
    for (const event of events) expect(await prisma.auditLog.count({ where: { action: 'stripe.event.processed', targetId: event.id } })).toBe(1);
    expect(await prisma.subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
    expect(await prisma.invoice.count({ where: { customerId: sub.customerId } })).toBe(1);
  });

  it('carries a key rotation and a subscription change to every instance within 1 s', { timeout: 120_000 }, async () => {
    const deps = drill.stack.api.server.deps;
    const app = await drill.stack.api.createApp();
    await drill.stack.api.createPlan({ slug: `scaled-${app.slug}`, name: 'Scaled', priceAmount: 0, currency: 'thb', interval: 'month' });
    const path = '/api/v1/customers/cached-user/subscription';
    // Warm every instance's key and eligibility caches.
    for (const { url } of apis) for (let i = 0; i < 2; i++) expect((await (await get(url, path, app.apiKey)).json()) as any).toMatchObject({ base: null });

    await grantManualSubscription(deps, TEST_ACTOR, { appSlug: app.slug, externalUserId: 'cached-user', planSlug: `scaled-${app.slug}`, days: 30 });
    const granted = await propagation(async (url) => ((await (await get(url, path, app.apiKey)).json()) as any).base?.status === 'ACTIVE');
    expect(granted).toBeLessThan(1_000);

    const { apiKey: fresh } = await rotateApiKey(deps, TEST_ACTOR, app.slug);
    const rotated = await propagation(async (url) => (await get(url, path, app.apiKey)).status === 401);
    expect(rotated).toBeLessThan(1_000);
    for (const { url } of apis) expect((await get(url, path, fresh)).status).toBe(200);
  });
});
