import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useProcessDrill } from './testing/drill.ts';
import { startFakeSentry, type FakeSentry } from './testing/fake-sentry.ts';
import { freePort } from './testing/index.ts';
import { QUEUE_NAME, queuePrefix } from './worker/queue.ts';

// The Sentry drill (issue 14), server side: the API and the worker as processes with a local fake ingest
// as their DSN. An error in a route and in a job arrives; no API key, cookie or Authorization value does.
const drill = useProcessDrill();
let sentry: FakeSentry;
let apiUrl: string;

beforeAll(async () => {
  sentry = await startFakeSentry();
  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const env = { SENTRY_DSN: sentry.dsn, SENTRY_ENVIRONMENT: 'staging' };
  const [api] = await Promise.all([
    drill.start('src/main.ts', /api listening/, { ...env, PORT: String(port), HOST: '127.0.0.1', WORKER_IN_PROCESS: 'false' }),
    drill.start('src/worker/main.ts', /worker ready/, env),
  ]);
  expect(api.stdout()).toContain('error tracking on (Sentry)');
}, 120_000);

afterAll(() => sentry?.close());

/** Nothing secret in what was sent: not the key, the cookie's value, the Authorization value or the body. */
function expectNoSecrets(envelope: string, secrets: string[]) {
  for (const secret of secrets) expect(envelope).not.toContain(secret);
  expect(envelope).not.toMatch(/aqb_[A-Za-z0-9_-]{20,}/);
}

describe('error tracking with a DSN', () => {
  it('reports a failed route with its environment, and no API key, cookie or Authorization value; no client error', { timeout: 120_000 }, async () => {
    // First, answers that are the caller's fault (4xx): nothing is reported for them.
    expect((await fetch(`${apiUrl}/api/v1/plans`, { headers: { authorization: 'Bearer aqb_not-a-key' } })).status).toBe(401);
    expect((await fetch(`${apiUrl}/trpc/billing.overview`)).status).toBe(401);
    const sub = await drill.stack.subscriber(drill.catalog.app, 'sentry-route');
    const cookieValue = sub.cookie.split('=')[1]!;
    // Stripe refuses to create the Checkout Session: the procedure fails with PROVIDER_ERROR (502).
    await drill.stack.control('POST', '/faults', { method: 'POST', path: '/v1/checkout/sessions', status: 500, shouldRetry: false });
    // With the secrets where a careless report would pick them up: headers, cookies and the query string.
    const res = await fetch(`${apiUrl}/trpc/billing.checkout.create?key=${drill.catalog.app.apiKey}`, {
      method: 'POST',
      headers: { cookie: `${sub.cookie}; other=1`, authorization: `Bearer ${drill.catalog.app.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ planSlug: 'pro' }),
    });
    expect(res.status).toBe(502);
    await drill.stack.control('DELETE', '/faults');

    const envelope = await sentry.waitForEnvelope('billing.checkout.create');
    // The route's error is the only event this process sent (the 4xx answers before it were not reported).
    expect(sentry.envelopes().filter((e) => e.includes('"type":"event"') && e.includes('"component":"api"'))).toEqual([envelope]);
    expect(envelope).toContain('"environment":"staging"');
    expect(envelope).toContain('"component":"api"');
    expectNoSecrets(envelope, [drill.catalog.app.apiKey, cookieValue, `Bearer ${drill.catalog.app.apiKey}`]);
  });

  it('reports a job that failed for good, scrubbed too, from the worker', { timeout: 120_000 }, async () => {
    const connection = new Redis(drill.stack.api.env.REDIS_URL, { maxRetriesPerRequest: 1 });
    const queue = new Queue(QUEUE_NAME, { connection, prefix: queuePrefix(drill.stack.api.env) });
    try {
      // No such job type: the worker ends it at once (UnrecoverableError), and its message carries the name.
      await queue.add(`drill.unknown.${drill.catalog.app.apiKey}`, { apiKey: drill.catalog.app.apiKey }, { removeOnFail: true, removeOnComplete: true });
      const envelope = await sentry.waitForEnvelope('unknown job type');
      expect(envelope).toContain('"component":"worker"');
      expect(envelope).toContain('"environment":"staging"');
      expect(envelope).toContain('drill.unknown.[redacted]');
      expectNoSecrets(envelope, [drill.catalog.app.apiKey]);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
