import { createPlanWithStripePrice, syncPlanToStripe } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { TEST_ACTOR } from '../testing/index.ts';
import { type Catalog, payCheckout, sessionIdOf, settle, useStripeCatalog } from '../testing/catalog.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const db = () => stack.api.prisma;

describe('subscribe through Stripe Checkout', () => {
  it('checkout → pay → webhook → eligibility ACTIVE from CHECKOUT with Stripe’s period end', async () => {
    const sub = await stack.subscriber(catalog.app, 'ada', { email: 'ada@example.com', name: 'Ada' });
    const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    expect(created.kind).toBe('redirect');
    expect(created.url).toContain(`${stack.emulator.url}/c/pay/cs_`);

    const checkout = await stack.stripe.checkout.sessions.retrieve(sessionIdOf(created.url));
    expect(checkout.client_reference_id).toBe(sub.customerId);
    expect(checkout.metadata).toMatchObject({ customerId: sub.customerId, appId: catalog.app.id, planSlug: 'pro' });
    expect(checkout.success_url).toBe(`${stack.api.baseUrl}/billing/checkout/success?session_id={CHECKOUT_SESSION_ID}`);
    expect(checkout.cancel_url).toBe(`${stack.api.baseUrl}/billing/plans`);
    const customer = await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } });
    expect(checkout.customer).toBe(customer.stripeCustomerId);

    const paid = await payCheckout(stack, created.url);
    const eligibility = await waitFor(async () => ((await sub.eligibility()).base ? sub.eligibility() : null));
    const stripeSub = await stack.stripe.subscriptions.retrieve(paid.subscription);
    expect(eligibility.base).toEqual({
      status: 'ACTIVE',
      source: 'CHECKOUT',
      plan: { slug: 'pro', name: 'PRO', interval: 'month' },
      currentPeriodEnd: new Date(stripeSub.items.data[0]!.current_period_end * 1000).toISOString(),
      cancelAtPeriodEnd: false,
    });
    await settle(stack);
    const invoices = await sub.query('billing.invoices');
    expect(invoices.invoices).toHaveLength(1);
    expect(invoices.invoices[0]).toMatchObject({ status: 'PAID', amount: 29900, source: 'STRIPE', currency: 'thb' });
    expect(invoices.invoices[0].hostedInvoiceUrl).toContain(stack.emulator.url);
    const row = await db().checkoutSession.findFirstOrThrow({ where: { customerId: sub.customerId } });
    expect(row.status).toBe('COMPLETE');
    const current = await sub.query('billing.subscription.get');
    expect(current.subscription).toMatchObject({ status: 'ACTIVE', source: 'CHECKOUT', manageable: true, plan: { slug: 'pro' } });
    const plans = await sub.query('billing.plans');
    expect(plans.plans.filter((p: any) => p.current).map((p: any) => p.slug)).toEqual(['pro']);
  });
});

describe('verify (the fallback when the webhook is late)', () => {
  it('fulfils at once from the Checkout Session, and the late webhook changes nothing', async () => {
    const sub = await stack.subscriber(catalog.app, 'bob');
    await stack.control('POST', '/webhooks/faults', { mode: 'drop_then_replay' });
    try {
      const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
      const pending = await sub.mutate('billing.checkout.verify', { sessionId: sessionIdOf(created.url) });
      expect(pending).toEqual({ status: 'pending', subscription: null });
      await payCheckout(stack, created.url);
      const verified = await sub.mutate('billing.checkout.verify', { sessionId: sessionIdOf(created.url) });
      expect(verified.status).toBe('complete');
      expect(verified.subscription).toMatchObject({ status: 'ACTIVE', source: 'CHECKOUT', plan: { slug: 'pro' } });
      expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', source: 'CHECKOUT' });
      // Nothing about this customer reached the endpoint: the deliveries were dropped.
      const { stripeCustomerId } = await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } });
      expect(await db().stripeEvent.count({ where: { payload: { path: ['data', 'object', 'customer'], equals: stripeCustomerId! } } })).toBe(0);
    } finally {
      await stack.control('POST', '/webhooks/replay');
      await stack.control('DELETE', '/webhooks/faults');
    }
    await settle(stack);
    expect(await db().subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
    expect(await db().invoice.count({ where: { customerId: sub.customerId } })).toBe(1);
    const created = await db().auditLog.count({
      where: { action: 'subscription.created', targetId: (await db().subscription.findFirstOrThrow({ where: { customerId: sub.customerId } })).id },
    });
    expect(created).toBe(1);
  });
});

describe('one subscription per customer', () => {
  it('a double click (or two tabs) gets the same Checkout Session and ends in one subscription', async () => {
    const sub = await stack.subscriber(catalog.app, 'double');
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => sub.mutate('billing.checkout.create', { planSlug: 'pro' })));
    expect(new Set([a.url, b.url, c.url]).size).toBe(1);
    expect(await db().checkoutSession.count({ where: { customerId: sub.customerId } })).toBe(1);
    await payCheckout(stack, a.url);
    await settle(stack);
    expect(await db().subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
    const again = await sub.mutate('billing.checkout.create', { planSlug: 'team' });
    expect(again).toEqual({ kind: 'plan_change', planSlug: 'team', billingInterval: 'month' });
  });

  it('two tabs with two plans: the older session is expired in Stripe, so only one can be paid', async () => {
    const sub = await stack.subscriber(catalog.app, 'tabs');
    const pro = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    const team = await sub.mutate('billing.checkout.create', { planSlug: 'team' });
    expect((await stack.stripe.checkout.sessions.retrieve(sessionIdOf(pro.url))).status).toBe('expired');
    await expect(payCheckout(stack, pro.url)).rejects.toThrow(/pay: 4\d\d/);
    await payCheckout(stack, team.url);
    await settle(stack);
    expect((await db().subscription.findMany({ where: { customerId: sub.customerId } })).map((s) => s.planId)).toEqual([catalog.plans.team.id]);
  });

  it('a paid plan arranged with the team (manual grant) is not bought over: SUBSCRIPTION_MANAGED_BY_APP, nothing created in Stripe', async () => {
    await stack.api.grantSubscription({ appSlug: catalog.app.slug, externalUserId: 'arranged', planSlug: 'team', days: 30 });
    const sub = await stack.subscriber(catalog.app, 'arranged');
    const error = await sub.mutate('billing.checkout.create', { planSlug: 'pro' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ appCode: 'SUBSCRIPTION_MANAGED_BY_APP', httpStatus: 409, message: expect.stringContaining('arranged with the app') });
    expect(await db().checkoutSession.count({ where: { customerId: sub.customerId } })).toBe(0);
  });

  it('two tabs, the first already paid but not fulfilled yet: the second gets a plan change, never a second payment', async () => {
    const sub = await stack.subscriber(catalog.app, 'paid-tab');
    const pro = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    await stack.control('POST', '/webhooks/faults', { mode: 'delay', ms: 5_000 }); // the webhook is late, and nobody came back to verify
    try {
      await payCheckout(stack, pro.url);
      expect(await db().subscription.count({ where: { customerId: sub.customerId } })).toBe(0);
      const team = await sub.mutate('billing.checkout.create', { planSlug: 'team' });
      expect(team).toEqual({ kind: 'plan_change', planSlug: 'team', billingInterval: 'month' });
      // Fulfilled right there: the subscriber has the plan they paid for, and the app sees it.
      expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro' }, source: 'CHECKOUT' });
    } finally {
      await stack.control('DELETE', '/webhooks/faults');
    }
    await settle(stack);
    const customer = await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } });
    expect((await stack.stripe.subscriptions.list({ customer: customer.stripeCustomerId! })).data).toHaveLength(1);
    expect(await db().subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
    expect(await db().checkoutSession.count({ where: { customerId: sub.customerId, status: 'COMPLETE' } })).toBe(1);
  });

  it('a second paid subscription (made outside our flow) is canceled at once, refunded and audited', async () => {
    const sub = await stack.subscriber(catalog.app, 'twice');
    const first = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    const customer = await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } });
    const metadata = { customerId: sub.customerId, appId: catalog.app.id, planId: catalog.plans.team.id };
    const second = await stack.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.stripeCustomerId!,
      line_items: [{ price: catalog.plans.team.stripePriceId!, quantity: 1 }],
      success_url: 'https://x.example/ok',
      metadata,
      subscription_data: { metadata },
    });
    await payCheckout(stack, first.url);
    await settle(stack);
    await payCheckout(stack, second.url!);
    await settle(stack);
    const live = await waitFor(async () => {
      const rows = await db().subscription.findMany({ where: { customerId: sub.customerId }, orderBy: { createdAt: 'asc' } });
      return rows.length === 2 && rows[1]!.status === 'CANCELED' ? rows : null;
    });
    expect(live[0]!.status).toBe('ACTIVE');
    const duplicate = await stack.stripe.subscriptions.retrieve(live[1]!.stripeSubscriptionId!);
    expect(duplicate.status).toBe('canceled');
    const refunds = await stack.stripe.refunds.list({ limit: 100 });
    expect(refunds.data.filter((r) => r.metadata?.duplicateOf === duplicate.id)).toHaveLength(1);
    expect(await db().auditLog.count({ where: { action: 'subscription.duplicate_canceled' } })).toBe(1);
    expect((await sub.eligibility()).base.plan.slug).toBe('pro');
  });
});

describe('free plans never touch Stripe', () => {
  it('activates at once as a MANUAL subscription, with Stripe failing every call', async () => {
    const sub = await stack.subscriber(catalog.app, 'freeloader');
    await stack.control('POST', '/faults', { path: '/v1', status: 500 });
    try {
      const result = await sub.mutate('billing.checkout.create', { planSlug: 'free' });
      expect(result).toMatchObject({ kind: 'activated', subscription: { status: 'ACTIVE', source: 'MANUAL', plan: { slug: 'free' }, manageable: false } });
      const again = await sub.mutate('billing.checkout.create', { planSlug: 'free' });
      expect(again.subscription.id).toBe(result.subscription.id);
    } finally {
      await stack.control('DELETE', '/faults');
    }
    expect((await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } })).stripeCustomerId).toBeNull();
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', source: 'MANUAL', plan: { slug: 'free' } });

    await payCheckout(stack, (await sub.mutate('billing.checkout.create', { planSlug: 'pro' })).url);
    await waitFor(async () => (await sub.eligibility()).base?.plan.slug === 'pro');
    const free = await db().subscription.findFirstOrThrow({ where: { customerId: sub.customerId, planId: catalog.plans.free.id } });
    expect(free.status).toBe('CANCELED');
    await expect(sub.mutate('billing.checkout.create', { planSlug: 'free' })).rejects.toMatchObject({ appCode: 'ALREADY_SUBSCRIBED' });
  });
});

describe('Stripe failures', () => {
  it('a Stripe 500 during checkout creation is a clear PROVIDER_ERROR, writes nothing, and a retry works', async () => {
    const sub = await stack.subscriber(catalog.app, 'unlucky');
    await stack.control('POST', '/faults', { method: 'POST', path: '/v1/checkout/sessions', status: 500, times: 3 });
    const failure = await sub.mutate('billing.checkout.create', { planSlug: 'pro' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ appCode: 'PROVIDER_ERROR', httpStatus: 502 });
    expect((failure as Error).message).not.toMatch(/api_error|500|emulator/i);
    expect(await db().checkoutSession.count({ where: { customerId: sub.customerId } })).toBe(0);
    expect((await stack.stripe.checkout.sessions.list({ limit: 100 })).data.filter((s) => s.client_reference_id === sub.customerId)).toHaveLength(0);
    const retry = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    expect(retry.kind).toBe('redirect');
    expect(await db().checkoutSession.count({ where: { customerId: sub.customerId } })).toBe(1);
  });
});

describe('a plan whose Stripe price an operator repairs', () => {
  it('a failed checkout, the price repaired, and the retry succeeds (the idempotency key follows the parameters)', async () => {
    const deps = stack.api.server.deps;
    const plan = await createPlanWithStripePrice(deps, TEST_ACTOR, {
      slug: 'fragile',
      name: 'Fragile',
      priceAmount: 49900,
      currency: 'thb',
      interval: 'month',
    });
    await db().plan.update({ where: { id: plan.id }, data: { stripePriceId: 'price_deleted_in_dashboard' } });
    const sub = await stack.subscriber(catalog.app, 'stuck');

    const failure = await sub.mutate('billing.checkout.create', { planSlug: 'fragile' }).catch((e: unknown) => e);
    expect(failure).toMatchObject({
      appCode: 'PROVIDER_OBJECT_MISSING',
      userMessage: 'This plan is not known to the payment provider; an operator has been notified.',
    });
    // The same request again gets Stripe's saved answer: still the missing price, not a different error.
    await expect(sub.mutate('billing.checkout.create', { planSlug: 'fragile' })).rejects.toMatchObject({ appCode: 'PROVIDER_OBJECT_MISSING' });

    const repaired = await syncPlanToStripe(deps, TEST_ACTOR, 'fragile'); // plans:sync-stripe
    expect(repaired.stripePriceId).toMatch(/^price_/);
    expect(repaired.stripePriceId).not.toBe('price_deleted_in_dashboard');
    const retry = await sub.mutate('billing.checkout.create', { planSlug: 'fragile' });
    expect(retry.kind).toBe('redirect');
    const session = await stack.stripe.checkout.sessions.listLineItems(sessionIdOf(retry.url));
    expect(session.data[0]?.price?.id).toBe(repaired.stripePriceId);
  });
});
