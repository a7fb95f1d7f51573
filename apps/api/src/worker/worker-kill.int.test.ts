import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, payCheckout } from '../testing/catalog.ts';
import { spawnTs, type SpawnedProcess } from '../testing/process.ts';
import { startStripeTestStack, waitFor, type StripeTestStack } from '../testing/stripe.ts';
import { workerEnv } from '../testing/worker-env.ts';

let stack: StripeTestStack;
let catalog: Awaited<ReturnType<typeof createCatalog>>;
const children: SpawnedProcess[] = [];

beforeAll(async () => {
  // No in-process worker: the standalone worker (pnpm start:worker) is the only consumer.
  stack = await startStripeTestStack({ env: { WORKER_IN_PROCESS: 'false' } });
  catalog = await createCatalog(stack);
});
afterAll(async () => {
  for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  await stack?.close();
});

async function startWorker(): Promise<SpawnedProcess> {
  const child = spawnTs('src/worker/main.ts', [], workerEnv(stack.api.env, { WORKER_LOCK_DURATION_MS: '1000', WEBHOOK_SWEEP_INTERVAL_MS: '300' }));
  children.push(child);
  await child.waitForOutput(/worker ready/, 90_000); // tsx compiles the worker first: slow on a busy machine
  return child;
}

describe('a worker killed mid-job', () => {
  it('leaves the event to the next worker, which processes it exactly once', { timeout: 240_000 }, async () => {
    const first = await startWorker();
    const sub = await stack.subscriber(catalog.app, 'killed');
    const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    // The worker's re-read of the session hangs long enough to be killed in the middle of the job.
    await stack.control('POST', '/faults', { method: 'GET', path: '/v1/checkout/sessions/:id', latencyMs: 60_000 });
    await payCheckout(stack, created.url);
    const event = await waitFor(() => stack.api.prisma.stripeEvent.findFirst({ where: { type: 'checkout.session.completed', attempts: { gte: 1 } } }), {
      what: 'the worker to start the job',
    });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed by the signal, not a clean exit
    await stack.control('DELETE', '/faults');
    expect((await stack.api.prisma.stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).status).not.toBe('PROCESSED');

    const second = await startWorker();
    await waitFor(async () => (await stack.api.prisma.stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).status === 'PROCESSED', {
      timeoutMs: 20_000,
      what: 'the restarted worker to process the event',
    });
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', source: 'CHECKOUT' });
    expect(await stack.api.prisma.subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
    expect(await stack.api.prisma.auditLog.count({ where: { action: 'stripe.event.processed', targetId: event.id } })).toBe(1);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0); // SIGTERM: finishes running jobs, closes the queue, exits cleanly
    expect(second.stdout()).toContain('worker shutdown complete');
  });
});
