import { describe, expect, it } from 'vitest';
import { type Catalog, payCheckout, sessionIdOf, settle, subscribe, useStripeCatalog } from '../../testing/catalog.ts';
import { waitFor, type StripeTestStack, type Subscriber } from '../../testing/stripe.ts';
import { billingRouter } from './billing.ts';

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

/** Every procedure, with an input its schema accepts: the security cases run over all of them. */
const PROCEDURES: Record<string, { kind: 'query' | 'mutation'; input?: unknown }> = {
  overview: { kind: 'query' },
  plans: { kind: 'query' },
  invoices: { kind: 'query' },
  paymentMethod: { kind: 'query' },
  'subscription.get': { kind: 'query' },
  'subscription.cancel': { kind: 'mutation' },
  'subscription.resume': { kind: 'mutation' },
  'checkout.create': { kind: 'mutation', input: { planSlug: 'pro' } },
  'checkout.verify': { kind: 'mutation', input: { sessionId: 'cs_test_bogus_0000' } },
  'checkout.status': { kind: 'query', input: { sessionId: 'cs_test_bogus_0000' } },
  'planChange.preview': { kind: 'query', input: { planSlug: 'team' } },
  'planChange.confirm': { kind: 'mutation', input: { planSlug: 'team', prorationDate: 1 } },
  'portal.create': { kind: 'mutation' },
  payInvoice: { kind: 'mutation', input: { invoiceId: 'inv_bogus' } },
  'wallet.get': { kind: 'query', input: {} },
  'wallet.deposit': { kind: 'mutation', input: { amountCents: 500, currency: 'thb' } },
  'wallet.verify': { kind: 'mutation', input: { sessionId: 'cs_test_bogus_0000' } },
};

/** A raw call with any cookie (or none): the status and the error's codes. */
async function call(cookie: string | null, name: string) {
  const { kind, input } = PROCEDURES[name]!;
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const url = `${stack.api.baseUrl}/trpc/billing.${name}`;
  const res =
    kind === 'query'
      ? await fetch(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input ?? {}) });
  const body = (await res.json()) as { error?: { data?: { appCode?: string } } };
  return { status: res.status, appCode: body.error?.data?.appCode };
}

describe('security: every procedure', () => {
  it('is listed here (a new procedure needs its security cases)', () => {
    expect(Object.keys(billingRouter._def.procedures).sort()).toEqual(Object.keys(PROCEDURES).sort());
  });

  it.each(Object.keys(PROCEDURES))('%s: 401 UNAUTHORIZED without a session, and with a forged or tampered cookie', async (name) => {
    const sub = await stack.subscriber(catalog.app, `sec-${name}`);
    const tampered = sub.cookie.slice(0, -2) + (sub.cookie.endsWith('AA') ? 'BB' : 'AA');
    for (const cookie of [null, 'aqb_session=forged', tampered]) {
      expect(await call(cookie, name)).toEqual({ status: 401, appCode: 'UNAUTHORIZED' });
    }
  });
});

describe("security: another customer's session, and the same user id in another app", () => {
  it("sees and changes nothing of the owner's subscription, invoices, checkouts or billing account", async () => {
    const owner = await stack.subscriber(catalog.app, 'kai');
    const { session } = await subscribe(stack, owner, 'pro');
    await settle(stack);
    const otherApp = await stack.api.createApp({ slug: 'other-app', name: 'Other App' });
    const intruders: Subscriber[] = [await stack.subscriber(catalog.app, 'lee'), await stack.subscriber(otherApp, 'kai')];
    const [ownerInvoice] = (await owner.query('billing.invoices')).invoices as Array<{ id: string }>;
    for (const intruder of intruders) {
      expect((await intruder.query('billing.subscription.get')).subscription).toBeNull();
      await expect(intruder.mutate('billing.payInvoice', { invoiceId: ownerInvoice!.id })).rejects.toMatchObject({ appCode: 'INVOICE_NOT_FOUND' });
      expect((await intruder.query('billing.wallet.get', {})).balances).toEqual([]);
      expect((await intruder.query('billing.invoices')).invoices).toEqual([]);
      expect(await intruder.query('billing.paymentMethod')).toEqual({ card: null });
      const noSubscription = { appCode: 'SUBSCRIPTION_NOT_FOUND', httpStatus: 404 };
      await expect(intruder.mutate('billing.subscription.cancel')).rejects.toMatchObject(noSubscription);
      await expect(intruder.mutate('billing.subscription.resume')).rejects.toMatchObject(noSubscription);
      await expect(intruder.query('billing.planChange.preview', { planSlug: 'team' })).rejects.toMatchObject(noSubscription);
      const prorationDate = Math.floor(stack.clock.now().getTime() / 1000);
      await expect(intruder.mutate('billing.planChange.confirm', { planSlug: 'team', prorationDate })).rejects.toMatchObject(noSubscription);
      await expect(intruder.mutate('billing.portal.create')).rejects.toMatchObject({ appCode: 'NO_BILLING_ACCOUNT', httpStatus: 409 });
      await expect(intruder.query('billing.checkout.status', { sessionId: session.id })).rejects.toMatchObject({ appCode: 'NOT_FOUND' });
      await expect(intruder.mutate('billing.checkout.verify', { sessionId: session.id })).rejects.toMatchObject({ appCode: 'NOT_FOUND' });
    }
    expect((await intruders[1]!.query('billing.overview')).app).toEqual({ name: 'Other App', slug: 'other-app' });
    expect(await owner.eligibility()).toMatchObject({ base: { status: 'ACTIVE', cancelAtPeriodEnd: false, plan: { slug: 'pro' } } });
    expect((await owner.query('billing.invoices')).invoices).toHaveLength(1);
    expect((await owner.query('billing.paymentMethod')).card).toMatchObject({ last4: expect.stringMatching(/^\d{4}$/) });
  });
});

describe('billing.overview and billing.plans', () => {
  it("give the subscriber's app, where Back to app goes, and the plans on sale", async () => {
    const sub = await stack.subscriber(catalog.app, 'mia', { email: 'mia@example.com', name: 'Mia' });
    expect(await sub.query('billing.overview')).toMatchObject({
      app: { slug: catalog.app.slug },
      intent: 'manage',
      customer: { email: 'mia@example.com', name: 'Mia' },
    });
    const plans = (await sub.query('billing.plans')).plans as Array<{ slug: string }>;
    expect(plans.map((p) => p.slug).sort()).toEqual(['free', 'pro', 'team', 'trial']);
  });
});

describe('billing.checkout.create', () => {
  it('rejects unknown input fields and unknown plans', async () => {
    const sub = await stack.subscriber(catalog.app, 'strict');
    await expect(sub.mutate('billing.checkout.create', { planSlug: 'pro', priceAmount: 1 })).rejects.toMatchObject({ appCode: 'VALIDATION_ERROR' });
    await expect(sub.mutate('billing.checkout.create', { planSlug: 'nope' })).rejects.toMatchObject({ appCode: 'PLAN_NOT_FOUND' });
  });
});

describe('billing.subscription.cancel / resume and billing.planChange.*', () => {
  it('cancel and resume flip cancelAtPeriodEnd; a preview names the change; the same plan, a free plan or a stale preview are refused', async () => {
    const sub = await stack.subscriber(catalog.app, 'noa');
    await expect(sub.mutate('billing.subscription.cancel')).rejects.toMatchObject({ appCode: 'SUBSCRIPTION_NOT_FOUND' });
    await subscribe(stack, sub, 'pro');
    expect(await sub.mutate('billing.subscription.cancel')).toMatchObject({ cancelAtPeriodEnd: true, plan: { slug: 'pro' } });
    expect(await sub.mutate('billing.subscription.resume')).toMatchObject({ cancelAtPeriodEnd: false, plan: { slug: 'pro' } });

    const preview = await sub.query('billing.planChange.preview', { planSlug: 'team' });
    expect(preview).toMatchObject({ fromPlan: { slug: 'pro' }, toPlan: { slug: 'team' }, direction: 'upgrade' });
    await expect(sub.query('billing.planChange.preview', { planSlug: 'pro' })).rejects.toMatchObject({ appCode: 'VALIDATION_ERROR' });
    await expect(sub.query('billing.planChange.preview', { planSlug: 'free' })).rejects.toMatchObject({ appCode: 'PLAN_CHANGE_NOT_ALLOWED' });
    const stale = preview.prorationDate - 3 * 3600;
    await expect(sub.mutate('billing.planChange.confirm', { planSlug: 'team', prorationDate: stale })).rejects.toMatchObject({ appCode: 'VALIDATION_ERROR' });
    expect(await sub.mutate('billing.planChange.confirm', { planSlug: 'team', prorationDate: preview.prorationDate })).toMatchObject({
      plan: { slug: 'team' },
    });
  });
});

describe('billing.portal.create', () => {
  it('opens on the customer and returns to /billing; without a Stripe customer it is NO_BILLING_ACCOUNT', async () => {
    const sub = await stack.subscriber(catalog.app, 'portal');
    await expect(sub.mutate('billing.portal.create')).rejects.toMatchObject({ appCode: 'NO_BILLING_ACCOUNT', httpStatus: 409 });
    await subscribe(stack, sub, 'pro');
    const { url } = await sub.mutate('billing.portal.create');
    const page = await (await fetch(url)).text();
    expect(page).toContain(`${stack.api.baseUrl}/billing`);
  });
});
