import { describe, expect, it } from 'vitest';
import { type Catalog, payCheckout, sessionIdOf, settle, useStripeCatalog } from '../../testing/catalog.ts';
import { waitFor, type StripeTestStack } from '../../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

describe('billing.subscription.get says when a plan is free', () => {
  it('free: true for the free plan, false once a paid plan replaces it', async () => {
    const sub = await stack.subscriber(catalog.app, 'flo');
    expect((await sub.query('billing.subscription.get')).subscription).toBeNull();
    await sub.mutate('billing.checkout.create', { planSlug: 'free' });
    expect((await sub.query('billing.subscription.get')).subscription).toMatchObject({ free: true, manageable: false, plan: { slug: 'free', priceAmount: 0 } });

    const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    expect(created.kind).toBe('redirect');
    await payCheckout(stack, created.url);
    await settle(stack);
    expect((await sub.query('billing.subscription.get')).subscription).toMatchObject({
      free: false,
      manageable: true,
      source: 'CHECKOUT',
      plan: { slug: 'pro' },
    });
  });
});

describe('billing.checkout.status (polled after checkout: our records only)', () => {
  it('is pending until the checkout is paid, ignoring the free plan the subscriber already has, then gives the subscription it bought', async () => {
    const sub = await stack.subscriber(catalog.app, 'gil');
    await sub.mutate('billing.checkout.create', { planSlug: 'free' });
    const created = await sub.mutate('billing.checkout.create', { planSlug: 'trial' });
    const sessionId = sessionIdOf(created.url);
    expect(await sub.query('billing.checkout.status', { sessionId })).toEqual({ status: 'pending', subscription: null });

    // Stripe unreachable: the status still answers (it never calls Stripe).
    await stack.control('POST', '/faults', { path: '/v1', status: 500 });
    try {
      expect(await sub.query('billing.checkout.status', { sessionId })).toEqual({ status: 'pending', subscription: null });
    } finally {
      await stack.control('DELETE', '/faults');
    }

    await payCheckout(stack, created.url);
    const done = await waitFor(
      async () => {
        const s = await sub.query('billing.checkout.status', { sessionId });
        return s.subscription ? s : null;
      },
      { what: 'the webhook to fulfil the checkout' },
    );
    expect(done).toMatchObject({ status: 'complete', subscription: { status: 'TRIALING', source: 'CHECKOUT', plan: { slug: 'trial' }, free: false } });
  });

  it('an older checkout replaced by one for another plan is expired', async () => {
    const sub = await stack.subscriber(catalog.app, 'hoa');
    const first = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    await sub.mutate('billing.checkout.create', { planSlug: 'team' });
    expect(await sub.query('billing.checkout.status', { sessionId: sessionIdOf(first.url) })).toEqual({ status: 'expired', subscription: null });
  });

  it("an unknown session id, or another customer's, is NOT_FOUND for status and verify; the owner's is still pending; input is strict", async () => {
    const owner = await stack.subscriber(catalog.app, 'ida');
    const other = await stack.subscriber(catalog.app, 'jon');
    const created = await owner.mutate('billing.checkout.create', { planSlug: 'pro' });
    const sessionId = sessionIdOf(created.url);
    const notFound = { appCode: 'NOT_FOUND', httpStatus: 404 };
    for (const id of ['cs_test_bogus_0000', sessionId]) {
      await expect(other.query('billing.checkout.status', { sessionId: id })).rejects.toMatchObject(notFound);
      await expect(other.mutate('billing.checkout.verify', { sessionId: id })).rejects.toMatchObject(notFound);
    }
    await expect(owner.query('billing.checkout.status', { sessionId: 'cs_test_bogus_0000' })).rejects.toMatchObject(notFound);
    expect(await owner.query('billing.checkout.status', { sessionId })).toEqual({ status: 'pending', subscription: null });
    expect(await owner.mutate('billing.checkout.verify', { sessionId })).toEqual({ status: 'pending', subscription: null });
    await expect(owner.query('billing.checkout.status', { sessionId, planSlug: 'pro' })).rejects.toMatchObject({ appCode: 'VALIDATION_ERROR' });
  });
});
