import { processStripeObject, stripeObjectKindOf, type HandledStripeEvent, type StripeObjectRef } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { type Catalog, payCheckout, useStripeCatalog } from '../testing/catalog.ts';
import { type StripeTestStack } from '../testing/stripe.ts';

// Whichever event the worker applies first creates the subscription (invoice.paid carries it as much as
// checkout.session.completed does), and that creation gets its one `subscription.created` audit entry.
// No worker runs here: the test applies the stored events itself, in a shuffled order each time.

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)), { env: { WORKER_IN_PROCESS: 'false' } });

const RUNS = 32;
const db = () => stack.api.prisma;

/** A small seeded generator (mulberry32): a failing order can be replayed from the seed in the message. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The objects of the events stored and not processed yet: what a run applies. */
async function storedObjects(): Promise<StripeObjectRef[]> {
  await stack.emulator.flushWebhooks(10_000);
  const events = await db().stripeEvent.findMany({ where: { status: { not: 'PROCESSED' } }, select: { type: true, objectId: true } });
  const refs = events.map((e) => ({ kind: stripeObjectKindOf(e.type as HandledStripeEvent), objectId: e.objectId! }));
  return [...new Map(refs.map((ref) => [`${ref.kind}:${ref.objectId}`, ref])).values()];
}

describe('subscription.created, whichever event creates the subscription', () => {
  it(`${RUNS} checkouts whose events are applied in shuffled orders, half of them at once: one entry per subscription`, async () => {
    const seed = Date.now() % 100_000;
    const next = random(seed);
    const invoiceFirst: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const sub = await stack.subscriber(catalog.app, `order-${run}`);
      const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
      const paid = await payCheckout(stack, created.url);
      const order = shuffled(await storedObjects(), next);
      expect(order.map((ref) => ref.kind).sort(), `run ${run}`).toEqual(['checkout_session', 'invoice']);
      if (order[0]!.kind === 'invoice') invoiceFirst.push(run);
      if (run % 2 === 0) for (const ref of order) await processStripeObject(stack.api.server.deps, ref);
      else await Promise.all(order.map((ref) => processStripeObject(stack.api.server.deps, ref)));

      const row = await db().subscription.findUniqueOrThrow({ where: { stripeSubscriptionId: paid.subscription } });
      expect(row).toMatchObject({ customerId: sub.customerId, status: 'ACTIVE', source: 'CHECKOUT' });
      const entries = await db().auditLog.findMany({ where: { action: 'subscription.created', targetId: row.id } });
      expect(entries, `run ${run} (seed ${seed}, order ${order.map((ref) => ref.kind).join(' → ')})`).toHaveLength(1);
      expect(entries[0]).toMatchObject({ targetType: 'subscription', details: { via: 'checkout', stripeSubscriptionId: paid.subscription } });
    }
    // The case the test is about happened (half the runs, on average): invoice.paid applied before the checkout.
    expect(invoiceFirst.length, `seed ${seed}`).toBeGreaterThan(3);
    expect(await db().auditLog.count({ where: { action: 'subscription.created' } })).toBe(RUNS);
  }, 600_000);
});
