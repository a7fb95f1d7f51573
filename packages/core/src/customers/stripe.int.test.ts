import { randomBytes } from 'node:crypto';
import { customers } from '@aquoris/db';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useCoreDeps } from '../testing/deps.ts';
import { createTestApp } from '../testing/factories.ts';
import { ensureStripeCustomer } from './stripe.ts';

// ensureStripeCustomer calls Stripe with no lock held: two first calls at once are both inside Stripe together,
// and still end with one Stripe customer linked. Stripe here is a stand-in with Stripe's idempotency rule (the same
// key answers the first result again), so the test can hold both calls inside it at the same moment.

const deps = useCoreDeps();

/** customers.create that answers only once `inFlight` calls are inside it together (or fails after 5 s). */
function stripeHoldingCreates(inFlight: number) {
  const byKey = new Map<string, string>();
  const created: string[] = [];
  const deleted: string[] = [];
  let waiting = 0;
  let release: () => void = () => {};
  const together = new Promise<void>((resolve) => (release = resolve));
  let next = 0;
  const prefix = `cus_fake${randomBytes(4).toString('hex')}`;
  const stripe = {
    customers: {
      async create(_params: Stripe.CustomerCreateParams, options: { idempotencyKey: string }) {
        if (++waiting >= inFlight) release();
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the Stripe calls never overlapped')), 5_000));
        await Promise.race([together, timeout]);
        let id = byKey.get(options.idempotencyKey);
        if (!id) {
          id = `${prefix}_${++next}`;
          byKey.set(options.idempotencyKey, id);
          created.push(id);
        }
        return { id } as Stripe.Customer;
      },
      async del(id: string) {
        deleted.push(id);
        return { id, deleted: true };
      },
    },
  };
  return { stripe: stripe as unknown as Stripe, created, deleted };
}

describe('ensureStripeCustomer', () => {
  it('two first calls at once are both in Stripe together and link one Stripe customer', async () => {
    const { app } = await createTestApp(deps(), 'ensure-once');
    const customer = await customers.upsert(deps().db.kysely, app.id, 'user_once', { email: 'once@example.com' });
    const fake = stripeHoldingCreates(2);
    const sdeps = { ...deps(), stripe: fake.stripe };
    const [a, b] = await Promise.all([ensureStripeCustomer(sdeps, customer.id), ensureStripeCustomer(sdeps, customer.id)]);
    expect(a).toBe(b);
    expect(fake.created).toEqual([a]);
    expect(fake.deleted).toEqual([]);
    expect((await customers.findById(deps().db.kysely, customer.id))?.stripeCustomerId).toBe(a);
    // Linked now: a later call does not ask Stripe.
    expect(await ensureStripeCustomer({ ...deps(), stripe: stripeHoldingCreates(99).stripe }, customer.id)).toBe(a);
  });

  it('keeps the first Stripe customer stored and deletes one created with other parameters meanwhile', async () => {
    const { app } = await createTestApp(deps(), 'ensure-race');
    const customer = await customers.upsert(deps().db.kysely, app.id, 'user_race', { email: 'before@example.com' });
    const fake = stripeHoldingCreates(2);
    const sdeps = { ...deps(), stripe: fake.stripe };
    const first = ensureStripeCustomer(sdeps, customer.id);
    // The profile changes before the second call reads it: its parameters, and so its idempotency key, differ.
    await new Promise((r) => setTimeout(r, 100));
    await customers.upsert(deps().db.kysely, app.id, 'user_race', { email: 'after@example.com' });
    const [a, b] = await Promise.all([first, ensureStripeCustomer(sdeps, customer.id)]);
    expect(a).toBe(b);
    expect(fake.created).toHaveLength(2);
    expect(fake.deleted).toEqual(fake.created.filter((id) => id !== a));
    expect((await customers.findById(deps().db.kysely, customer.id))?.stripeCustomerId).toBe(a);
  });

  it('a customer that does not exist is CUSTOMER_NOT_FOUND', async () => {
    await expect(ensureStripeCustomer({ ...deps(), stripe: stripeHoldingCreates(1).stripe }, 'cus_missing')).rejects.toMatchObject({
      code: 'CUSTOMER_NOT_FOUND',
    });
  });
});
