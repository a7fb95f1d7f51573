import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, payCheckout, sessionIdOf, settle } from '../testing/catalog.ts';
import { startStripeTestStack, waitFor, type StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Awaited<ReturnType<typeof createCatalog>>;

beforeAll(async () => {
  stack = await startStripeTestStack();
  catalog = await createCatalog(stack);
});
afterAll(() => stack?.close());

const db = () => stack.api.server.deps.db;

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
