import { processStripeEvent } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { countingDeps as countingDepsOf, storeSubscriptionEvents } from '../testing/stripe-events.ts';
import { type StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const deps = () => stack.api.server.deps;
const db = () => deps().db.prisma;

const countingDeps = () => countingDepsOf(deps());
const storeBurst = (prefix: string, stripeSubscriptionId: string, types: string[]) => storeSubscriptionEvents(deps(), prefix, stripeSubscriptionId, types);

async function auditsOf(ids: string[]) {
  return db().auditLog.findMany({ where: { action: 'stripe.event.processed', targetId: { in: ids } }, select: { targetId: true, details: true } });
}

describe('a burst of events about one subscription', () => {
  it('is settled by one Stripe re-read and one transaction, with one audit entry per event', async () => {
    const sub = await stack.subscriber(catalog.app, 'burst');
    const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
    await stack.stripe.subscriptions.update(stripeSubscriptionId, { cancel_at_period_end: true });
    await settle(stack); // the real event of that change is processed; what follows is only the burst
    const ids = await storeBurst('burst', stripeSubscriptionId, [
      'customer.subscription.updated',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'customer.subscription.updated',
      'customer.subscription.updated',
    ]);
    const counting = countingDeps();

    const result = await processStripeEvent(counting.deps, ids[2]!);
    expect(result.outcome).toBe('processed');
    expect([...result.settled].sort()).toEqual(ids.filter((id) => id !== ids[2]).sort());
    expect(counting.reads()).toBe(1);
    const events = await db().stripeEvent.findMany({ where: { id: { in: ids } }, select: { status: true, processedAt: true } });
    expect(events.map((e) => e.status)).toEqual(ids.map(() => 'PROCESSED'));
    expect(new Set(events.map((e) => e.processedAt?.getTime())).size).toBe(1); // one commit
    const audits = await auditsOf(ids);
    expect(audits.map((a) => a.targetId).sort()).toEqual([...ids].sort());
    for (const audit of audits) {
      const details = audit.details as Record<string, unknown>;
      expect(details.objectId).toBe(stripeSubscriptionId);
      expect(details.coalescedInto).toBe(audit.targetId === ids[2] ? undefined : ids[2]);
    }

    // Their queued jobs then find nothing to do: no transaction, no Stripe call, no second audit entry.
    for (const id of ids) expect(await processStripeEvent(counting.deps, id)).toEqual({ outcome: 'already_processed', settled: [] });
    expect(counting.reads()).toBe(1);
    expect(await auditsOf(ids)).toHaveLength(ids.length);
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true });
  });

  it('never settles events of another object or another handler', async () => {
    const a = await subscribe(stack, await stack.subscriber(catalog.app, 'other-a'), 'pro');
    const b = await subscribe(stack, await stack.subscriber(catalog.app, 'other-b'), 'pro');
    await settle(stack);
    const [mine] = await storeBurst('mine', a.stripeSubscriptionId, ['customer.subscription.updated']);
    const [theirs] = await storeBurst('theirs', b.stripeSubscriptionId, ['customer.subscription.updated']);
    const [checkout] = await storeBurst('checkout', a.stripeSubscriptionId, ['checkout.session.completed']);
    expect(await processStripeEvent(deps(), mine!)).toEqual({ outcome: 'processed', settled: [] });
    const status = async (id: string) => (await db().stripeEvent.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(theirs!)).toBe('RECEIVED');
    expect(await status(checkout!)).toBe('RECEIVED');
    await db().stripeEvent.deleteMany({ where: { id: { in: [theirs!, checkout!] } } });
  });

  it('processed by many workers at once: no deadlock, every event exactly once', async () => {
    const { stripeSubscriptionId } = await subscribe(stack, await stack.subscriber(catalog.app, 'crowd'), 'pro');
    await settle(stack);
    const ids = await storeBurst(
      'crowd',
      stripeSubscriptionId,
      Array.from({ length: 16 }, (_, i) => (i % 4 === 3 ? 'customer.subscription.deleted' : 'customer.subscription.updated')),
    );
    const counting = countingDeps();
    const outcomes = (await Promise.all(ids.map((id) => processStripeEvent(counting.deps, id)))).map((r) => r.outcome);
    expect(outcomes.every((o) => o === 'processed' || o === 'already_processed')).toBe(true);
    // The workers of one process share the one Stripe read that began after their events were stored.
    expect(counting.reads()).toBe(1);
    expect(outcomes.filter((o) => o === 'processed').length).toBeGreaterThanOrEqual(1);
    expect(await db().stripeEvent.count({ where: { id: { in: ids }, status: 'PROCESSED' } })).toBe(ids.length);
    const audits = await auditsOf(ids);
    expect(audits).toHaveLength(ids.length);
    expect(new Set(audits.map((a) => a.targetId)).size).toBe(ids.length);
  });
});
