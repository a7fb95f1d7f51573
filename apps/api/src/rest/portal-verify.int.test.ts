import { createPlan } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { TEST_ACTOR } from '../testing/index.ts';
import { type Catalog, payCheckout, sessionIdOf, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const db = () => stack.api.prisma;
const returnUrl = () => `https://${catalog.app.slug}.example.com/settings`;

async function call(path: string, init: { method?: string; json?: unknown; apiKey?: string } = {}) {
  const res = await stack.api.request(path, { apiKey: catalog.app.apiKey, ...init });
  return { status: res.status, body: (await res.json()) as any };
}

const portalSession = (externalUserId: string, json: unknown, apiKey?: string) =>
  call(`/api/v1/customers/${encodeURIComponent(externalUserId)}/portal-session`, { method: 'POST', json, ...(apiKey ? { apiKey } : {}) });

/** Submits one of the portal page's forms the way the browser does. */
async function portalPost(path: string, form: Record<string, string> = {}) {
  const res = await fetch(`${stack.emulator.url}${path}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

/** The webhook events this service stored (the types it subscribes to) about one Stripe subscription since `since`. */
async function storedEventTypes(stripeSubscriptionId: string, since: Date) {
  const events = await db().stripeEvent.findMany({ where: { receivedAt: { gte: since } }, select: { type: true, payload: true } });
  return events.filter((e) => JSON.stringify(e.payload).includes(stripeSubscriptionId)).map((e) => e.type);
}

describe('POST /api/v1/customers/{externalUserId}/portal-session', () => {
  it('refuses an unknown customer (404), one with no Stripe customer (409), a returnUrl off the allowlist (400) and another app (404)', async () => {
    expect(await portalSession('nobody', { returnUrl: returnUrl() })).toMatchObject({ status: 404, body: { error: { code: 'CUSTOMER_NOT_FOUND' } } });
    await call('/api/v1/customers/no-stripe', { method: 'PUT', json: { email: 'n@example.com' } });
    expect(await portalSession('no-stripe', { returnUrl: returnUrl() })).toMatchObject({ status: 409, body: { error: { code: 'NO_BILLING_ACCOUNT' } } });
    for (const bad of [
      'https://evil.com/x',
      `https://${catalog.app.slug}.example.com.evil.com/`,
      `https://${catalog.app.slug}.example.com@evil.com/`,
      '//evil.com',
      'javascript:alert(1)',
    ]) {
      const res = await portalSession('no-stripe', { returnUrl: bad });
      expect(res, bad).toMatchObject({ status: 400, body: { error: { code: 'REDIRECT_NOT_ALLOWED', message: expect.stringMatching(/^returnUrl: /) } } });
    }
    expect((await portalSession('no-stripe', {})).status).toBe(422);
    expect((await portalSession('no-stripe', { returnUrl: returnUrl(), extra: 1 })).status).toBe(422);
    const other = await stack.api.createApp();
    expect(await portalSession('no-stripe', { returnUrl: `https://${other.slug}.example.com/` }, other.apiKey)).toMatchObject({ status: 404 });
  });

  it('opens the portal; a card change, an interval switch and a cancellation each come back through webhooks into eligibility', async () => {
    // The yearly price of PRO, on the same Stripe product, as its own plan (the portal offers the product's prices).
    const monthly = await stack.stripe.prices.retrieve(catalog.plans.pro.stripePriceId!);
    const yearlyPrice = await stack.stripe.prices.create({
      product: String(monthly.product),
      currency: 'thb',
      unit_amount: 299000,
      recurring: { interval: 'year' },
    });
    const deps = stack.api.server.deps;
    await createPlan(deps, TEST_ACTOR, {
      slug: 'pro-yearly',
      name: 'PRO yearly',
      priceAmount: 299000,
      currency: 'thb',
      interval: 'year',
      stripePriceId: yearlyPrice.id,
    });

    const sub = await stack.subscriber(catalog.app, 'portal-user', { email: 'p@example.com' });
    const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
    await settle(stack);
    const since = new Date();
    const opened = await portalSession('portal-user', { returnUrl: `${returnUrl()}?tab=billing` });
    expect(opened.status).toBe(200);
    expect(opened.body.url).toMatch(new RegExp(`^${stack.emulator.url}/p/session/bps_`));
    const portalPath = new URL(opened.body.url).pathname;
    const page = await (await fetch(opened.body.url)).text();
    expect(page).toContain(`href="${returnUrl()}?tab=billing"`);
    expect(page).toContain('Invoice history');
    expect(page).toContain('Switch to');

    const card = await portalPost(`${portalPath}/payment_method`, { preset: '4242424242424242' });
    expect(card.status).toBe(303);
    const attached = await stack.stripe.events.list({ type: 'payment_method.attached', limit: 1 });
    const pm = attached.data[0]!.data.object as { id: string; customer: string };
    const stripeCustomer = (await stack.stripe.customers.retrieve(pm.customer)) as { invoice_settings: { default_payment_method: string } };
    expect(stripeCustomer.invoice_settings.default_payment_method).toBe(pm.id);
    expect((await stack.stripe.subscriptions.retrieve(stripeSubscriptionId)).default_payment_method).toBe(pm.id);
    expect(await sub.query('billing.paymentMethod')).toMatchObject({ card: { last4: '4242' } });
    const refused = await portalPost(`${portalPath}/subscriptions/${stripeSubscriptionId}/price`, { price: catalog.plans.team.stripePriceId! });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('not available for this subscription');

    const switched = await portalPost(`${portalPath}/subscriptions/${stripeSubscriptionId}/price`, { price: yearlyPrice.id });
    expect(switched.status).toBe(303);
    const yearly = await waitFor(async () => ((await sub.eligibility()).base?.plan.interval === 'year' ? sub.eligibility() : null), {
      what: 'the yearly plan',
    });
    expect(yearly.base).toMatchObject({ status: 'ACTIVE', plan: { slug: 'pro-yearly', interval: 'year' }, cancelAtPeriodEnd: false });

    expect((await portalPost(`${portalPath}/subscriptions/${stripeSubscriptionId}/cancel`)).status).toBe(303);
    const canceling = await waitFor(async () => ((await sub.eligibility()).base?.cancelAtPeriodEnd ? sub.eligibility() : null), { what: 'the cancellation' });
    expect(canceling.base).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true });
    await settle(stack);
    const types = await storedEventTypes(stripeSubscriptionId, since);
    expect(types).toEqual(expect.arrayContaining(['customer.subscription.updated', 'invoice.paid']));
    expect(await db().subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
    const after = await (await fetch(opened.body.url)).text();
    expect(after).toContain('Cancels');
    expect(after.match(/>View</g)?.length).toBe(2); // the first invoice and the interval switch's
  });
});

describe('GET /api/v1/checkout/verify', () => {
  const verify = (sessionId: string, apiKey?: string) => call(`/api/v1/checkout/verify?session_id=${encodeURIComponent(sessionId)}`, apiKey ? { apiKey } : {});

  it('is 404 for an unknown session or another app’s, 409 CHECKOUT_NOT_COMPLETED while open, 422 for a malformed id', async () => {
    expect(await verify('cs_test_unknown')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await verify('nope')).status).toBe(422);
    expect((await call('/api/v1/checkout/verify')).status).toBe(422);
    expect((await call('/api/v1/checkout/verify?session_id=cs_a&x=1')).status).toBe(422);
    const sub = await stack.subscriber(catalog.app, 'verify-open');
    const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
    const id = sessionIdOf(created.url);
    expect(await verify(id)).toMatchObject({ status: 409, body: { error: { code: 'CHECKOUT_NOT_COMPLETED', message: expect.stringContaining('is open') } } });
    const other = await stack.api.createApp();
    expect(await verify(id, other.apiKey)).toMatchObject({ status: 404 });
  });

  it('racing the checkout.session.completed webhook, 20 times: one subscription and one invoice each, every verify answering it', async () => {
    const app = await stack.api.createApp({ rateLimitPerMinute: 100_000 });
    for (let i = 0; i < 20; i++) {
      const sub = await stack.subscriber(app, `race-${i}`);
      const created = await sub.mutate('billing.checkout.create', { planSlug: 'pro' });
      const id = sessionIdOf(created.url);
      await payCheckout(stack, created.url); // the webhook is on its way now
      const answers = await Promise.all([verify(id, app.apiKey), verify(id, app.apiKey), verify(id, app.apiKey)]);
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
          status: 'complete',
          externalUserId: `race-${i}`,
          subscription: { status: 'ACTIVE', source: 'CHECKOUT', plan: { slug: 'pro' } },
        });
      }
      expect(new Set(answers.map((a) => a.body.subscription.id)).size).toBe(1);
      await settle(stack);
      expect((await verify(id, app.apiKey)).body.subscription.id).toBe(answers[0]!.body.subscription.id);
      expect(await db().subscription.count({ where: { customerId: sub.customerId } })).toBe(1);
      expect(await db().invoice.count({ where: { customerId: sub.customerId } })).toBe(1);
    }
  }, 120_000);
});
