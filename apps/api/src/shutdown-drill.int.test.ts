import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { payCheckout } from './testing/catalog.ts';
import { useProcessDrill } from './testing/drill.ts';
import { freePort } from './testing/index.ts';
import type { SpawnedProcess } from './testing/process.ts';
import { waitFor } from './testing/stripe.ts';

// The shutdown drill (issue 14): the API and the worker as real processes, SIGTERM while requests and a
// job are in flight. The in-process API of the stack only receives the emulator's webhooks (no worker).
const drill = useProcessDrill();
const start = drill.start;

/**
 * A PUT whose body is sent in two halves: in flight until `finish()` sends the rest. `Expect: 100-continue`
 * makes the server say when it has the request (`accepted`), so the signal comes after that, not before.
 */
function slowRequest(port: number, apiKey: string, name: string) {
  const body = JSON.stringify({ name });
  let finish!: () => void;
  let accepted!: () => void;
  const started = new Promise<void>((resolve) => (accepted = resolve));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: `/api/v1/customers/${name}`,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${apiKey}`, expect: '100-continue' },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.on('continue', () => req.write(body.slice(0, 5), () => accepted()));
    finish = () => req.end(body.slice(5));
  });
  return { response, started, finish: () => finish() };
}

/** Starts a checkout whose fulfilment job hangs in its Stripe read for `latencyMs`; resolves once a worker runs it. */
async function checkoutWithSlowJob(user: string, latencyMs: number) {
  const sub = await drill.stack.subscriber(drill.catalog.app, user);
  const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
  await drill.stack.control('POST', '/faults', { method: 'GET', path: '/v1/checkout/sessions/:id', latencyMs });
  await payCheckout(drill.stack, created.url);
  const event = await waitFor(
    () =>
      drill.stack.api.prisma.stripeEvent.findFirst({
        where: { type: 'checkout.session.completed', objectId: /\/(cs_[A-Za-z0-9_]+)/.exec(created.url)![1], attempts: { gte: 1 } },
      }),
    { timeoutMs: 30_000, what: 'a worker to start the job' },
  );
  return { sub, event };
}

async function appliedOnce(sub: { customerId: string }, eventId: string) {
  expect((await drill.stack.api.prisma.stripeEvent.findUniqueOrThrow({ where: { id: eventId } })).status).toBe('PROCESSED');
  expect(await drill.stack.api.prisma.auditLog.count({ where: { action: 'stripe.event.processed', targetId: eventId } })).toBe(1);
  expect(await drill.stack.api.prisma.subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
}

const exitedWithin = async (child: SpawnedProcess, since: number) => ({ code: await child.exited, ms: Date.now() - since });

describe('SIGTERM to the API and the worker', () => {
  it('finishes every in-flight request and the running job, refuses new connections, and both exit 0 within the deadline', { timeout: 180_000 }, async () => {
    const port = await freePort();
    const api = await start('src/main.ts', /api listening/, {
      PORT: String(port),
      HOST: '127.0.0.1',
      WORKER_IN_PROCESS: 'false',
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    const worker = await start('src/worker/main.ts', /worker ready/, { SHUTDOWN_TIMEOUT_MS: '20000' });
    const { sub, event } = await checkoutWithSlowJob('drain', 4_000);

    const inFlight = ['slow-1', 'slow-2', 'slow-3'].map((name) => slowRequest(port, drill.catalog.app.apiKey, name));
    await Promise.all(inFlight.map((r) => r.started));
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    await api.waitForOutput(/api shutting down/);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow(); // a new connection is refused
    inFlight.forEach((r) => r.finish());

    for (const r of inFlight) expect((await r.response).status).toBe(200);
    const [apiExit, workerExit] = await Promise.all([exitedWithin(api, signalled), exitedWithin(worker, signalled)]);
    expect(apiExit.code).toBe(0);
    expect(workerExit.code).toBe(0);
    expect(Math.max(apiExit.ms, workerExit.ms)).toBeLessThan(20_000);
    expect(workerExit.ms).toBeGreaterThanOrEqual(2_000); // it waited for the job held in its Stripe read
    expect(api.stdout()).toContain('api shutdown complete');
    expect(worker.stdout()).toContain('worker shutdown complete');
    await appliedOnce(sub, event.id);
    expect(await drill.stack.api.prisma.customer.count({ where: { externalUserId: { in: ['slow-1', 'slow-2', 'slow-3'] } } })).toBe(3);
    await drill.stack.control('DELETE', '/faults');
  });

  it('past SHUTDOWN_TIMEOUT_MS the worker exits 1, and its unfinished job is retried by another worker exactly once', { timeout: 180_000 }, async () => {
    const first = await start('src/worker/main.ts', /worker ready/, { SHUTDOWN_TIMEOUT_MS: '1500' });
    const { sub, event } = await checkoutWithSlowJob('deadline', 60_000);
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    const exit = await exitedWithin(first, signalled);
    expect(exit.code).toBe(1);
    expect(exit.ms).toBeLessThan(10_000);
    expect(first.stdout()).toContain('worker shutdown timed out');
    await drill.stack.control('DELETE', '/faults');
    expect((await drill.stack.api.prisma.stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).status).not.toBe('PROCESSED');

    const second = await start('src/worker/main.ts', /worker ready/, { SHUTDOWN_TIMEOUT_MS: '20000' });
    await waitFor(async () => (await drill.stack.api.prisma.stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).status === 'PROCESSED', {
      timeoutMs: 30_000,
      what: 'the other worker to take the job over',
    });
    await appliedOnce(sub, event.id);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
