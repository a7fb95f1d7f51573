import { lockKey, processStripeEvent, subscriptionLockKey } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { countingDeps, storeSubscriptionEvents, withWebhookFault } from '../testing/stripe-events.ts';
import { type StripeTestStack } from '../testing/stripe.ts';
import { gate } from '../testing/wait.ts';

// The unlocked path (packages/core/src/webhooks/settle-unchanged.ts): a subscription event whose re-read
// finds our row up to date is settled in one statement, without the subscription's lock. These tests pin
// down when it must not be taken.

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const deps = () => stack.api.server.deps;
const db = () => deps().db.prisma;
const statusOf = async (id: string) => (await db().stripeEvent.findUniqueOrThrow({ where: { id } })).status;
const rowOf = (stripeSubscriptionId: string) => db().subscription.findUniqueOrThrow({ where: { stripeSubscriptionId } });

/**
 * Processes event `id` while `writer` keeps a transaction open (it calls `hold()` once it has locked or
 * written), checks that the event waits for it, then lets the writer commit.
 */
async function processWhileHeld(id: string, writer: (hold: () => Promise<void>) => Promise<unknown>) {
  const release = gate();
  const held = gate();
  const writing = writer(async () => {
    held.open();
    await release.opened;
  });
  await held.opened;
  const processing = processStripeEvent(deps(), id);
  await new Promise((r) => setTimeout(r, 400));
  expect(await statusOf(id)).toBe('RECEIVED');
  release.open();
  await writing;
  return processing;
}

async function subscribed(user: string): Promise<string> {
  const { stripeSubscriptionId } = await subscribe(stack, await stack.subscriber(catalog.app, user), 'pro');
  await settle(stack);
  return stripeSubscriptionId;
}

describe('settling a subscription event whose re-read finds nothing new', () => {
  it('settles it with one Stripe read and the same audit entry as the locked path', async () => {
    const stripeSubscriptionId = await subscribed('unchanged');
    const before = await rowOf(stripeSubscriptionId);
    const [id] = await storeSubscriptionEvents(deps(), 'unchanged', stripeSubscriptionId, ['customer.subscription.updated']);
    const counting = countingDeps(deps());
    expect(await processStripeEvent(counting.deps, id!)).toEqual({ outcome: 'processed', settled: [] });
    expect(counting.reads()).toBe(1);
    expect(await rowOf(stripeSubscriptionId)).toEqual(before);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'stripe.event.processed', targetId: id! } });
    expect(audit.details).toEqual({
      type: 'customer.subscription.updated',
      objectId: stripeSubscriptionId,
      subscriptionId: before.id,
      status: 'ACTIVE',
      changed: [],
    });
  });

  it('waits for a writer holding the subscription’s lock instead of settling past it', async () => {
    const stripeSubscriptionId = await subscribed('held');
    const [id] = await storeSubscriptionEvents(deps(), 'held', stripeSubscriptionId, ['customer.subscription.updated']);
    const processing = processWhileHeld(id!, (hold) =>
      deps().db.sql.transaction(async (tx) => {
        await lockKey(tx, subscriptionLockKey(stripeSubscriptionId));
        await hold();
      }),
    );
    expect((await processing).outcome).toBe('processed');
    expect(await statusOf(id!)).toBe('PROCESSED');
  });

  it('compares against a write still in progress once it commits, not against the row before it', async () => {
    const stripeSubscriptionId = await subscribed('in-progress');
    const row = await rowOf(stripeSubscriptionId);
    const [id] = await storeSubscriptionEvents(deps(), 'in-progress', stripeSubscriptionId, ['customer.subscription.updated']);
    // A writer that does not take the subscription's lock (say an operator's change), not yet committed.
    const processing = processWhileHeld(id!, (hold) =>
      db().$transaction(async (tx) => {
        await tx.subscription.update({ where: { id: row.id }, data: { status: 'PAST_DUE' } });
        await hold();
      }),
    );
    expect((await processing).outcome).toBe('processed');
    expect((await rowOf(stripeSubscriptionId)).status).toBe('ACTIVE'); // Stripe's state, re-applied over the write
  });

  // Each mirrored field our row can disagree with Stripe on: the event must take the locked path and repair it.
  const drifts: Array<[string, (row: Awaited<ReturnType<typeof rowOf>>) => Record<string, unknown>]> = [
    ['status', () => ({ status: 'PAST_DUE' })],
    ['currentPeriodStart', (row) => ({ currentPeriodStart: new Date(row.currentPeriodStart!.getTime() - 1000) })],
    ['currentPeriodEnd', (row) => ({ currentPeriodEnd: new Date(row.currentPeriodEnd!.getTime() + 1000) })],
    ['trialEnd', () => ({ trialEnd: new Date('2030-01-01T00:00:00Z') })],
    ['cancelAtPeriodEnd', () => ({ cancelAtPeriodEnd: true })],
    ['canceledAt', () => ({ canceledAt: new Date('2030-01-01T00:00:00Z') })],
    ['endedAt', () => ({ endedAt: new Date('2030-01-01T00:00:00Z') })],
    ['planId', () => ({ planId: catalog.plans.team.id })],
  ];
  it.each(drifts)('repairs a row whose %s differs from Stripe', async (field, drift) => {
    const stripeSubscriptionId = await subscribed(`drift-${field}`);
    const truth = await rowOf(stripeSubscriptionId);
    await db().subscription.update({ where: { id: truth.id }, data: drift(truth) });
    const [id] = await storeSubscriptionEvents(deps(), `drift-${field}`, stripeSubscriptionId, ['customer.subscription.updated']);
    expect((await processStripeEvent(deps(), id!)).outcome).toBe('processed');
    const repaired = await rowOf(stripeSubscriptionId);
    expect(repaired[field as keyof typeof repaired]).toEqual(truth[field as keyof typeof truth]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'stripe.event.processed', targetId: id! } });
    expect((audit.details as { changed: string[] }).changed).toEqual([field]);
  });

  it('never shares a read that began before the event was stored', async () => {
    const stripeSubscriptionId = await subscribed('stale-read');
    const [first] = await storeSubscriptionEvents(deps(), 'stale-first', stripeSubscriptionId, ['customer.subscription.updated']);
    // The first event's read is answered by Stripe at once, but held back from the worker.
    const release = gate();
    const sent = gate();
    let reads = 0;
    const holding = countingDeps(deps(), async (read) => {
      if (reads++ > 0) return read;
      const answer = await read;
      sent.open();
      await release.opened;
      return answer;
    });
    const firstProcessing = processStripeEvent(holding.deps, first!);
    await sent.opened;
    // Stripe changes after that read (its real webhook dropped, so only our stored event tells of it), and a
    // worker of the same process (the same Stripe client) processes that event.
    await withWebhookFault(stack, { mode: 'drop_then_replay' }, () => stack.stripe.subscriptions.update(stripeSubscriptionId, { cancel_at_period_end: true }));
    const [second] = await storeSubscriptionEvents(deps(), 'stale-second', stripeSubscriptionId, ['customer.subscription.updated']);
    const secondProcessing = processStripeEvent(holding.deps, second!);
    const secondResult = await Promise.race([secondProcessing, new Promise((r) => setTimeout(() => r('waiting on the stale read'), 2_000))]);
    release.open();
    expect(secondResult).toMatchObject({ outcome: 'processed' });
    await firstProcessing;
    expect((await rowOf(stripeSubscriptionId)).cancelAtPeriodEnd).toBe(true);
    expect([await statusOf(first!), await statusOf(second!)]).toEqual(['PROCESSED', 'PROCESSED']);
  });
});
