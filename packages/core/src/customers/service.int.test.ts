import { describe, expect, it } from 'vitest';
import { useCoreDeps } from '../testing/deps.ts';
import { createTestApp } from '../testing/factories.ts';
import { ensureCustomer, findCustomer, upsertCustomer } from './service.ts';
import { findCustomersToSync, pushCustomerToStripe } from './stripe.ts';
import { customers } from '@aquoris/db';

const deps = useCoreDeps();
const appActor = async (slug: string) => (await createTestApp(deps(), slug)).actor;

describe('customers service', () => {
  it('a partial update keeps the fields it does not name', async () => {
    const actor = await appActor('partial');
    await upsertCustomer(deps(), actor, { externalUserId: 'u1', fields: { email: 'a@example.com', name: 'Ann' } });
    const updated = await upsertCustomer(deps(), actor, { externalUserId: 'u1', fields: { name: 'Anna' } });
    expect(updated).toMatchObject({ externalUserId: 'u1', email: 'a@example.com', name: 'Anna' });
  });

  it('concurrent first calls for one user make one customer', async () => {
    const actor = await appActor('racing');
    const rows = await Promise.all(Array.from({ length: 6 }, () => ensureCustomer(deps(), actor.appId, 'same')));
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
  });

  it('the same external user id in two apps is two customers, each found only through its own app', async () => {
    const a = await appActor('app-a');
    const b = await appActor('app-b');
    const inA = await ensureCustomer(deps(), a.appId, 'shared', { email: 'a@example.com' });
    const inB = await ensureCustomer(deps(), b.appId, 'shared');
    expect(inA.id).not.toBe(inB.id);
    expect((await findCustomer(deps(), b, 'shared'))?.email).toBeNull();
    expect(await findCustomer(deps(), a, 'nobody')).toBeNull();
  });

  it('a linked customer is marked for a Stripe sync; each change gets a later mark', async () => {
    const actor = await appActor('linked');
    const customer = await ensureCustomer(deps(), actor.appId, 'stripe-user');
    await customers.setStripeCustomerId(deps().db.kysely, customer.id, 'cus_linked');
    const queued: Date[] = [];
    const stripeSync = { syncCustomerToStripe: async (_id: string, at: Date) => void queued.push(at) };
    await upsertCustomer({ ...deps(), stripeSync }, actor, { externalUserId: 'stripe-user', fields: { name: 'One' } });
    await upsertCustomer({ ...deps(), stripeSync }, actor, { externalUserId: 'stripe-user', fields: { name: 'Two' } });
    expect(queued).toHaveLength(2);
    expect(queued[1]!.getTime()).toBeGreaterThan(queued[0]!.getTime());
    deps().clock.advance(60_000);
    expect((await findCustomersToSync(deps(), 30_000)).map((c) => c.id)).toContain(customer.id);
  });

  it('an unlinked customer has nothing to push to Stripe', async () => {
    const actor = await appActor('unlinked');
    const customer = await ensureCustomer(deps(), actor.appId, 'plain');
    expect(await pushCustomerToStripe({ ...deps(), stripe: {} as never }, customer.id)).toEqual({ synced: false });
  });
});
