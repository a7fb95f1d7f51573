import { processStripeObject, type Deps, type StripeObjectRef } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { countingDeps, storeSubscriptionEvents, withWebhookFault } from '../testing/stripe-events.ts';
import { type StripeTestStack } from '../testing/stripe.ts';
import { gate, waitFor } from '../testing/wait.ts';

// The one apply path (packages/core/src/webhooks/service.ts): the events of one Stripe object are claimed,
// the object is read from Stripe with nothing locked, and a short transaction writes it unless a newer read
// was applied. A burst of events about one object is one job in the queue.

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const deps = () => stack.api.server.deps;
const db = () => stack.api.prisma;
const queue = () => deps().queue.queue;
const sub = (objectId: string): StripeObjectRef => ({ kind: 'subscription', objectId });
const rowOf = (stripeSubscriptionId: string) => db().subscription.findUniqueOrThrow({ where: { stripeSubscriptionId } });
const eventsOf = (ids: string[]) => db().stripeEvent.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
const auditsOf = (ids: string[]) =>
  db().auditLog.findMany({ where: { action: 'stripe.event.processed', targetId: { in: ids } }, select: { targetId: true, details: true } });

async function subscribed(user: string): Promise<string> {
  const { stripeSubscriptionId } = await subscribe(stack, await stack.subscriber(catalog.app, user), 'pro');
  await settle(stack);
  return stripeSubscriptionId;
}

/** The in-process worker takes no job while `run` runs (the sweeper may still queue them): the test applies events itself. */
async function withQueuePaused<T>(run: () => Promise<T>): Promise<T> {
  await queue().pause();
  try {
    return await run();
  } finally {
    await queue().resume();
  }
}

/** Changes Stripe without its own webhook reaching us: only the events the test stores tell of it. */
const changeQuietly = (stripeSubscriptionId: string, cancel: boolean) =>
  withWebhookFault(stack, { mode: 'drop_then_replay' }, () => stack.stripe.subscriptions.update(stripeSubscriptionId, { cancel_at_period_end: cancel }));

describe('the events of one Stripe object', () => {
  it('are applied by one Stripe read and one transaction, with one audit entry per event', async () => {
    const stripeSubscriptionId = await subscribed('burst');
    await withQueuePaused(async () => {
      await changeQuietly(stripeSubscriptionId, true);
      const types = ['customer.subscription.updated', 'customer.subscription.updated', 'customer.subscription.deleted', 'customer.subscription.updated'];
      const ids = await storeSubscriptionEvents(deps(), 'burst', stripeSubscriptionId, types);
      const counting = countingDeps(deps());
      const result = await processStripeObject(counting.deps, sub(stripeSubscriptionId));
      expect(result).toMatchObject({ outcome: 'processed', processed: ids });
      // Each event's time from receipt to the commit, for the webhook-lag metric.
      expect(result.lagMs).toEqual(ids.map(() => expect.any(Number)));
      expect(Math.min(...result.lagMs)).toBeGreaterThanOrEqual(0);
      expect(counting.reads()).toBe(1);
      const events = await eventsOf(ids);
      expect(events.map((e) => e.status)).toEqual(ids.map(() => 'PROCESSED'));
      expect(new Set(events.map((e) => e.processedAt?.getTime())).size).toBe(1); // one commit
      const audits = await auditsOf(ids);
      expect(audits.map((a) => a.targetId).sort()).toEqual([...ids].sort());
      for (const audit of audits) {
        expect(audit.details).toMatchObject({ objectId: stripeSubscriptionId, changed: expect.arrayContaining(['cancelAtPeriodEnd']) });
        expect((audit.details as { coalescedInto?: string }).coalescedInto).toBe(audit.targetId === ids[0] ? undefined : ids[0]);
      }
      // Nothing is left: a second run claims nothing, reads nothing, writes no audit entry.
      expect(await processStripeObject(counting.deps, sub(stripeSubscriptionId))).toMatchObject({ outcome: 'nothing_to_do', processed: [] });
      expect(counting.reads()).toBe(1);
      expect(await auditsOf(ids)).toHaveLength(ids.length);
    });
    expect((await rowOf(stripeSubscriptionId)).cancelAtPeriodEnd).toBe(true);
  });

  it('never settle events of another object', async () => {
    const a = await subscribed('other-a');
    const b = await subscribed('other-b');
    await withQueuePaused(async () => {
      const [mine] = await storeSubscriptionEvents(deps(), 'mine', a, ['customer.subscription.updated']);
      const [theirs] = await storeSubscriptionEvents(deps(), 'theirs', b, ['customer.subscription.updated']);
      expect(await processStripeObject(deps(), sub(a))).toMatchObject({ outcome: 'processed', processed: [mine] });
      expect((await eventsOf([theirs!]))[0]!.status).toBe('RECEIVED');
      expect(await processStripeObject(deps(), sub(b))).toMatchObject({ outcome: 'processed', processed: [theirs] });
    });
  });

  it('a burst queued for one object is one job and one Stripe read', async () => {
    const stripeSubscriptionId = await subscribed('queued');
    const other = await subscribed('queued-other');
    const real = deps().stripe!.subscriptions;
    const retrieve = real.retrieve;
    let reads = 0;
    real.retrieve = ((...args: Parameters<typeof retrieve>) => {
      if (args[0] === stripeSubscriptionId) reads++;
      return retrieve.apply(real, args);
    }) as typeof retrieve;
    try {
      const ids = await withQueuePaused(async () => {
        const ids = await storeSubscriptionEvents(deps(), 'queued', stripeSubscriptionId, Array(20).fill('customer.subscription.updated'));
        await storeSubscriptionEvents(deps(), 'queued-other', other, ['customer.subscription.updated']);
        for (let i = 0; i < ids.length; i++) await deps().queue.enqueueStripeObject(sub(stripeSubscriptionId));
        await deps().queue.enqueueStripeObject(sub(other));
        expect(await queue().getWaitingCount()).toBe(2);
        return ids;
      });
      await waitFor(async () => (await eventsOf(ids)).every((e) => e.status === 'PROCESSED'), { what: 'the burst to be applied' });
      expect(reads).toBe(1);
    } finally {
      real.retrieve = retrieve;
    }
    await settle(stack);
  });

  it('a slow, stale read that commits after a newer one never overwrites it, and no event is applied twice', async () => {
    const stripeSubscriptionId = await subscribed('stale');
    await withQueuePaused(async () => {
      const [first] = await storeSubscriptionEvents(deps(), 'stale-first', stripeSubscriptionId, ['customer.subscription.updated']);
      // The first run's read is answered by Stripe at once (cancelAtPeriodEnd false) but held back from it.
      const release = gate();
      const answered = gate();
      let reads = 0;
      const holding = countingDeps(deps(), async (read) => {
        if (reads++ > 0) return read;
        const answer = await read;
        answered.open();
        await release.opened;
        return answer;
      });
      const firstRun = processStripeObject(holding.deps, sub(stripeSubscriptionId));
      await answered.opened;
      await changeQuietly(stripeSubscriptionId, true);
      const [second] = await storeSubscriptionEvents(deps(), 'stale-second', stripeSubscriptionId, ['customer.subscription.updated']);
      // A second run (another worker, a retry) claims both events with a newer ticket, reads the new state, commits.
      expect(await processStripeObject(holding.deps, sub(stripeSubscriptionId))).toMatchObject({ outcome: 'processed', processed: [first, second] });
      expect((await rowOf(stripeSubscriptionId)).cancelAtPeriodEnd).toBe(true);
      release.open();
      expect(await firstRun).toMatchObject({ outcome: 'nothing_to_do', processed: [] });
      expect((await rowOf(stripeSubscriptionId)).cancelAtPeriodEnd).toBe(true);
      expect(await auditsOf([first!, second!])).toHaveLength(2);
    });
  });

  it('a run that dies mid-apply leaves its events to a retry, which applies them once', async () => {
    const stripeSubscriptionId = await subscribed('crash');
    await withQueuePaused(async () => {
      await changeQuietly(stripeSubscriptionId, true);
      const ids = await storeSubscriptionEvents(deps(), 'crash', stripeSubscriptionId, ['customer.subscription.updated', 'customer.subscription.updated']);
      // The transaction's work is done, then the process "dies" before COMMIT: everything rolls back.
      const dying: Deps = {
        ...deps(),
        db: {
          ...deps().db,
          transaction: (fn) =>
            deps()
              .db.kysely.transaction()
              .execute(async (tx) => {
                await fn(tx);
                throw new Error('worker died before commit');
              }),
        },
      };
      await expect(processStripeObject(dying, sub(stripeSubscriptionId))).rejects.toThrow('worker died before commit');
      expect((await eventsOf(ids)).map((e) => [e.status, e.attempts, e.lastError])).toEqual(ids.map(() => ['FAILED', 1, 'worker died before commit']));
      expect((await rowOf(stripeSubscriptionId)).cancelAtPeriodEnd).toBe(false);
      expect(await auditsOf(ids)).toHaveLength(0);

      expect(await processStripeObject(deps(), sub(stripeSubscriptionId))).toMatchObject({ outcome: 'processed', processed: ids });
      expect((await eventsOf(ids)).map((e) => [e.status, e.attempts])).toEqual(ids.map(() => ['PROCESSED', 2]));
      expect((await rowOf(stripeSubscriptionId)).cancelAtPeriodEnd).toBe(true);
      expect(await auditsOf(ids)).toHaveLength(ids.length);
    });
  });

  it('applied by many runs at once: no deadlock, every event exactly once', async () => {
    const stripeSubscriptionId = await subscribed('crowd');
    await withQueuePaused(async () => {
      const types = Array.from({ length: 16 }, (_, i) => (i % 4 === 3 ? 'customer.subscription.deleted' : 'customer.subscription.updated'));
      const ids = await storeSubscriptionEvents(deps(), 'crowd', stripeSubscriptionId, types);
      const results = await Promise.all(ids.map(() => processStripeObject(deps(), sub(stripeSubscriptionId))));
      expect(results.flatMap((r) => r.processed).sort()).toEqual([...ids].sort());
      expect(await db().stripeEvent.count({ where: { id: { in: ids }, status: 'PROCESSED' } })).toBe(ids.length);
      const audits = await auditsOf(ids);
      expect(audits).toHaveLength(ids.length);
      expect(new Set(audits.map((a) => a.targetId)).size).toBe(ids.length);
    });
  });
});
