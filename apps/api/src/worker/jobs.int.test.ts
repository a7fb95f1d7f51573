import { Job, type JobsOptions } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { storeSubscriptionEvents } from '../testing/stripe-events.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const deps = () => stack.api.server.deps;
const queue = () => deps().queue.queue;
const eventRow = (id: string) => deps().db.kysely.selectFrom('stripe_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

// Kept after they finish (the service's queue drops finished jobs), with room for retries and a short backoff.
const KEPT: JobsOptions = { attempts: 4, backoff: { type: 'fixed', delay: 50 }, removeOnComplete: false, removeOnFail: false };

/** Adds a job as the producer would (bypassing its typed add, to send what it never would), and waits until it has finished. */
async function runToEnd(name: string, data: unknown) {
  const added = await queue().add(name, data, KEPT);
  const state = await waitFor(
    async () => {
      const now = await queue().getJobState(added.id!);
      return now === 'completed' || now === 'failed' ? now : null;
    },
    { timeoutMs: 20_000, what: `job ${name} to finish` },
  );
  return { job: (await Job.fromId(queue(), added.id!))!, state }; // read once finished, with its final counts
}

describe('permanent failures are given up at once', () => {
  it('a job of no known type fails after one attempt', async () => {
    const { job, state } = await runToEnd('stripe.unknown', { eventId: 'evt_x' });
    expect(state).toBe('failed');
    expect(job.attemptsStarted).toBe(1);
    expect(job.failedReason).toMatch(/unknown job type "stripe.unknown"/);
  });

  it.each([
    ['stripe.object', { kind: 'subscription', objectId: 42 }],
    ['stripe.object', { kind: 'subscription', objectId: 'sub_1', extra: true }],
    ['stripe.object', { kind: 'customer', objectId: 'cus_1' }],
    ['stripe.customer.sync', {}],
    ['subscriptions.expire', { count: 1 }],
  ])('a %s job whose payload its schema rejects (%j) fails after one attempt', async (name, data) => {
    const { job, state } = await runToEnd(name, data);
    expect(state).toBe('failed');
    expect(job.attemptsStarted).toBe(1);
    expect(job.failedReason).toMatch(new RegExp(`^invalid ${name.replace('.', '\\.')} payload`));
  });

  it('an object Stripe says does not exist fails once, and neither the sweeper nor a later event takes its events again', async () => {
    const [id] = await storeSubscriptionEvents(deps(), 'missing', 'sub_does_not_exist', ['customer.subscription.updated']);
    const { job, state } = await runToEnd('stripe.object', { kind: 'subscription', objectId: 'sub_does_not_exist' });
    expect(state).toBe('failed');
    expect(job.attemptsStarted).toBe(1);
    const event = await eventRow(id!);
    expect(event.status).toBe('FAILED');
    expect(event.attempts).toBeGreaterThanOrEqual(25); // the sweeper queues only events with attempts left
    expect(await stack.api.server.worker!.sweep()).toBe(0);
    const again = await runToEnd('stripe.object', { kind: 'subscription', objectId: 'sub_does_not_exist' });
    expect(again.state).toBe('completed'); // nothing left to claim: no Stripe read, no retry
    expect((await eventRow(id!)).attempts).toBe(event.attempts);
    await deps().db.kysely.deleteFrom('stripe_events').where('id', '=', id!).execute(); // the other tests settle every stored event
  });
});

describe('transient failures are retried with backoff', () => {
  it('Stripe failing an attempt: a later attempt applies the event', async () => {
    const { stripeSubscriptionId } = await subscribe(stack, await stack.subscriber(catalog.app, 'transient'), 'pro');
    await settle(stack);
    const [id] = await storeSubscriptionEvents(deps(), 'transient', stripeSubscriptionId, ['customer.subscription.updated']);
    // Six 500s: stripe-node itself tries each read three times, so at least the first attempt fails.
    await stack.control('POST', '/faults', { method: 'GET', path: '/v1/subscriptions/:id', status: 500, times: 6 });
    try {
      const { job, state } = await runToEnd('stripe.object', { kind: 'subscription', objectId: stripeSubscriptionId });
      expect(state).toBe('completed');
      expect(job.attemptsStarted).toBeGreaterThan(1);
      expect((await stack.control('GET', '/faults')).body.data).toEqual([]); // every injected failure was hit
    } finally {
      await stack.control('DELETE', '/faults');
    }
    expect((await eventRow(id!)).status).toBe('PROCESSED');
  });
});
