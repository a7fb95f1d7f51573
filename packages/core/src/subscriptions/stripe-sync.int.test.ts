import { customers, plans, subscriptions } from '@aquoris/db';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createApp } from '../apps/service.ts';
import type { StripeDeps } from '../stripe/gateway.ts';
import { takeStripeReadTicket } from '../stripe/read-ticket.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { applyStripeSubscription } from './stripe-sync.ts';

// The one apply function every Stripe subscription write goes through (webhooks, checkout, plan changes):
// given states read from Stripe in some order, the row ends at the newest read, whatever order they commit in.

const deps = useCoreDeps();
/** apply never calls Stripe: it is handed the state a read returned. */
const sdeps = () => deps() as unknown as StripeDeps;
const ops = { type: 'cli', user: 'ops' } as const;
const PERIOD_START = Date.parse('2026-06-01T00:00:00Z') / 1000;

function stripeSubscription(id: string, stripeCustomerId: string, overrides: Partial<Stripe.Subscription> = {}): Stripe.Subscription {
  return {
    id,
    object: 'subscription',
    customer: stripeCustomerId,
    status: 'active',
    metadata: {},
    trial_end: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    items: { data: [{ price: { id: 'price_core_pro' }, current_period_start: PERIOD_START, current_period_end: PERIOD_START + 30 * 86_400 }] },
    ...overrides,
  } as unknown as Stripe.Subscription;
}

async function ourCustomer(user: string) {
  const { app } = await createApp(deps(), ops, { slug: `sync-${user}`, name: user, returnUrl: 'https://sync.example.com/' });
  const customer = await customers.upsert(deps().db.kysely, app.id, user, {});
  await customers.setStripeCustomerId(deps().db.kysely, customer.id, `cus_${user}`);
  return `cus_${user}`;
}

const rowOf = (id: string) => subscriptions.findByStripeId(deps().db.kysely, id);
const apply = (sub: Stripe.Subscription, ticket: string) => deps().db.transaction((tx) => applyStripeSubscription(sdeps(), tx, sub, ticket));

describe('applyStripeSubscription', () => {
  it('records a subscription of ours seen for the first time, with the read ticket', async () => {
    await plans.insert(deps().db.kysely, {
      slug: 'core-pro',
      name: 'PRO',
      priceAmount: 100,
      currency: 'thb',
      interval: 'month',
      stripePriceId: 'price_core_pro',
    });
    const cus = await ourCustomer('first');
    const ticket = await takeStripeReadTicket(deps());
    const result = await apply(stripeSubscription('sub_first', cus), ticket);
    expect(result).toMatchObject({ created: true, changed: ['created'] });
    expect(await rowOf('sub_first')).toMatchObject({ status: 'ACTIVE', stripeReadTicket: ticket });
  });

  it('a stale read committing after a newer one never overwrites it', async () => {
    const cus = await ourCustomer('stale');
    await apply(stripeSubscription('sub_stale', cus), await takeStripeReadTicket(deps()));
    const older = await takeStripeReadTicket(deps()); // read 1 begins: Stripe says active
    const newer = await takeStripeReadTicket(deps()); // read 2 begins later: Stripe says canceling
    expect(BigInt(newer) > BigInt(older)).toBe(true);
    await apply(stripeSubscription('sub_stale', cus, { cancel_at_period_end: true }), newer);
    const late = await apply(stripeSubscription('sub_stale', cus, { cancel_at_period_end: false }), older);
    expect(late).toMatchObject({ changed: [], skipped: 'a newer Stripe read is already applied' });
    expect(await rowOf('sub_stale')).toMatchObject({ cancelAtPeriodEnd: true, stripeReadTicket: newer });
  });

  it('a newer read that finds nothing new still fences off older reads, without touching updatedAt', async () => {
    const cus = await ourCustomer('fence');
    await apply(stripeSubscription('sub_fence', cus, { cancel_at_period_end: true }), await takeStripeReadTicket(deps()));
    const before = (await rowOf('sub_fence'))!;
    const older = await takeStripeReadTicket(deps());
    const newer = await takeStripeReadTicket(deps());
    expect(await apply(stripeSubscription('sub_fence', cus, { cancel_at_period_end: true }), newer)).toMatchObject({ changed: [] });
    const confirmed = (await rowOf('sub_fence'))!;
    expect(confirmed.stripeReadTicket).toBe(newer);
    expect(confirmed.updatedAt).toEqual(before.updatedAt);
    await apply(stripeSubscription('sub_fence', cus, { cancel_at_period_end: false }), older);
    expect((await rowOf('sub_fence'))!.cancelAtPeriodEnd).toBe(true);
  });

  it('writes only what differs, and a redelivered read of the same ticket changes nothing', async () => {
    const cus = await ourCustomer('diff');
    await apply(stripeSubscription('sub_diff', cus), await takeStripeReadTicket(deps()));
    const ticket = await takeStripeReadTicket(deps());
    const changed = stripeSubscription('sub_diff', cus, { status: 'past_due' });
    expect((await apply(changed, ticket)).changed).toEqual(['status']);
    expect((await apply(changed, ticket)).changed).toEqual([]);
    expect((await rowOf('sub_diff'))!.status).toBe('PAST_DUE');
  });

  it('skips a subscription no customer of ours is linked to', async () => {
    const result = await apply(stripeSubscription('sub_foreign', 'cus_nobody'), await takeStripeReadTicket(deps()));
    expect(result).toMatchObject({ subscription: null, skipped: 'no customer of ours is linked to this Stripe subscription' });
    expect(await rowOf('sub_foreign')).toBeUndefined();
  });
});
