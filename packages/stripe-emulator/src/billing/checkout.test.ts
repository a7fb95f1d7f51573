import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createPlan, PAID_INVOICE_EVENTS, subscribeViaCheckout } from '../testing/factories.ts';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

const CHECKOUT_EVENTS = ['customer.created', 'checkout.session.completed', 'customer.subscription.created', ...PAID_INVOICE_EVENTS];

describe('checkout in subscription mode', () => {
  it('takes ui_mode=hosted_page, the current API version value, and refuses the removed hosted and the unemulated ones', async () => {
    const price = await createPlan(h.stripe);
    const base: Stripe.Checkout.SessionCreateParams = {
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://app.example/ok',
    };
    expect((await h.stripe.checkout.sessions.create({ ...base, ui_mode: 'hosted_page' })).ui_mode).toBe('hosted_page');
    await expect(h.stripe.checkout.sessions.create({ ...base, ui_mode: 'hosted' as 'hosted_page' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'ui_mode',
    });
    await expect(h.stripe.checkout.sessions.create({ ...base, ui_mode: 'embedded_page' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'ui_mode',
      message: 'ui_mode=embedded_page is not supported by the Stripe emulator.',
    });
  });

  it('creates an open session with a hosted url and the requested fields', async () => {
    const price = await createPlan(h.stripe);
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://app.example/ok?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://app.example/cancel',
      customer_email: 'ada@example.com',
      client_reference_id: 'user_1',
      metadata: { appUserId: 'user_1' },
    });
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'subscription',
      ui_mode: 'hosted_page',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 2000,
      currency: 'usd',
      customer: null,
      customer_email: 'ada@example.com',
      client_reference_id: 'user_1',
      metadata: { appUserId: 'user_1' },
      subscription: null,
      url: `${h.emulator.url}/c/pay/${session.id}`,
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.expires_at - session.created).toBe(86_400);
    const withItems = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(withItems.line_items?.data).toMatchObject([{ object: 'item', quantity: 1, amount_total: 2000, description: 'Pro', price: { id: price.id } }]);
  });

  it('paying with 4242 creates customer, subscription, invoice, payment and charge, and emits Stripe’s events in order', async () => {
    const price = await createPlan(h.stripe, { unitAmount: 1500 });
    await h.flush();
    h.receiver.clear();
    const { session, subscription } = await subscribeViaCheckout(h, price);

    expect(session).toMatchObject({ status: 'complete', payment_status: 'paid', customer_details: { email: 'ada@example.com' } });
    expect(subscription).toMatchObject({
      object: 'subscription',
      status: 'active',
      customer: session.customer,
      metadata: { plan: 'pro' },
      cancel_at_period_end: false,
    });
    const item = subscription.items.data[0] as Stripe.SubscriptionItem;
    expect(item.price.id).toBe(price.id);
    expect(item.current_period_end - item.current_period_start).toBeGreaterThanOrEqual(28 * 86_400);
    expect(item.current_period_start).toBe(subscription.start_date);

    const invoice = await h.stripe.invoices.retrieve(String(session.invoice), { expand: ['payments'] });
    expect(invoice).toMatchObject({
      status: 'paid',
      amount_due: 1500,
      amount_paid: 1500,
      amount_remaining: 0,
      billing_reason: 'subscription_create',
      parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id } },
    });
    expect(invoice).not.toHaveProperty('paid');
    expect(invoice).not.toHaveProperty('payment_intent');
    expect(invoice.lines.data[0]).toMatchObject({
      amount: 1500,
      description: '1 × Pro (at $15.00 / month)',
      parent: { subscription_item_details: { subscription_item: item.id, proration: false } },
    });
    expect(invoice.hosted_invoice_url).toBe(`${h.emulator.url}/i/${invoice.id}`);
    expect(invoice.invoice_pdf).toBe(`${h.emulator.url}/i/${invoice.id}/pdf`);
    expect(invoice.number).toMatch(/^[A-Z0-9]{8}-0001$/);

    const payments = await h.stripe.invoicePayments.list({ invoice: invoice.id });
    expect(payments.data).toHaveLength(1);
    expect(invoice.payments?.data[0]?.id).toBe(payments.data[0]?.id);
    const payment = payments.data[0] as Stripe.InvoicePayment;
    expect(payment).toMatchObject({ status: 'paid', amount_paid: 1500, is_default: true, payment: { type: 'payment_intent' } });
    const pi = await h.stripe.paymentIntents.retrieve(String(payment.payment.payment_intent));
    expect(pi).toMatchObject({ status: 'succeeded', amount: 1500, amount_received: 1500, customer: session.customer });
    const charge = await h.stripe.charges.retrieve(String(pi.latest_charge));
    expect(charge).toMatchObject({
      status: 'succeeded',
      paid: true,
      amount: 1500,
      payment_intent: pi.id,
      payment_method_details: { card: { last4: '4242', brand: 'visa' } },
    });
    expect(charge).not.toHaveProperty('invoice');

    const withLatest = await h.stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice.payments'] });
    expect((withLatest.latest_invoice as Stripe.Invoice).payments?.data[0]?.payment.payment_intent).toBe(pi.id);

    await h.flush();
    expect(h.receiver.types()).toEqual(CHECKOUT_EVENTS);
    expect(h.receiver.received.every((r) => r.event !== null)).toBe(true);
    const events = h.receiver.accepted();
    expect((events[3] as Stripe.InvoiceCreatedEvent).data.object.status).toBe('draft');
    expect((events[4] as Stripe.InvoiceFinalizedEvent).data.object.status).toBe('open');
    expect((events[5] as Stripe.InvoicePaidEvent).data.object.status).toBe('paid');
    const completed = events[1] as Stripe.CheckoutSessionCompletedEvent;
    expect(completed.data.object).toMatchObject({
      id: session.id,
      subscription: subscription.id,
      client_reference_id: 'user_42',
      metadata: { appUserId: 'user_42' },
    });
    const listed = await h.stripe.events.list({ type: 'invoice.*' });
    expect(listed.data.map((e) => e.type)).toEqual(['invoice.payment_succeeded', 'invoice.paid', 'invoice.finalized', 'invoice.created']);
  });

  it('a declined card (4000 0000 0000 0002) answers 402 card_declined and creates nothing', async () => {
    const price = await createPlan(h.stripe);
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://x.test/ok',
      customer_email: 'b@example.com',
    });
    const paid = await h.control<{ error: Record<string, string> }>('POST', `/checkout_sessions/${session.id}/pay`, { card: '4000000000000002' });
    expect(paid.status).toBe(402);
    expect(paid.body.error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    expect((await h.stripe.customers.list()).data).toHaveLength(0);
    expect((await h.stripe.subscriptions.list()).data).toHaveLength(0);
    const ok = await h.control('POST', `/checkout_sessions/${session.id}/pay`, { card: '4242 4242 4242 4242' });
    expect(ok.status).toBe(200);
  });

  it('starts a trial with a $0 first invoice and the card saved for later', async () => {
    const price = await createPlan(h.stripe);
    const { session, subscription } = await subscribeViaCheckout(h, price, { trialDays: 14 });
    expect(session.payment_status).toBe('no_payment_required');
    expect(subscription.status).toBe('trialing');
    expect(subscription.trial_end).toBe((subscription.trial_start ?? 0) + 14 * 86_400);
    expect(subscription.items.data[0]?.current_period_end).toBe(subscription.trial_end);
    expect(subscription.default_payment_method).toMatch(/^pm_/);
    const invoice = await h.stripe.invoices.retrieve(String(session.invoice));
    expect(invoice).toMatchObject({ status: 'paid', amount_due: 0, total: 0 });
    expect(invoice.lines.data[0]?.description).toBe('Trial period for Pro');
    expect((await h.stripe.charges.list()).data).toHaveLength(0);
  });

  it('reuses an existing customer and validates session params', async () => {
    const price = await createPlan(h.stripe);
    const customer = await h.stripe.customers.create({ email: 'known@example.com' });
    const { session } = await subscribeViaCheckout(h, price, { customer: customer.id });
    expect(session.customer).toBe(customer.id);
    expect((await h.stripe.customers.list()).data).toHaveLength(1);
    expect((await h.stripe.subscriptions.list({ customer: customer.id, price: price.id })).data).toHaveLength(1);

    const base = { mode: 'subscription' as const, line_items: [{ price: price.id, quantity: 1 }], success_url: 'https://x.test/ok' };
    await expect(h.stripe.checkout.sessions.create({ ...base, customer: customer.id, customer_email: 'x@y.z' })).rejects.toMatchObject({
      param: 'customer_email',
    });
    await expect(h.stripe.checkout.sessions.create({ ...base, line_items: [{ price: price.id }] })).rejects.toMatchObject({ param: 'line_items[0][quantity]' });
    await expect(h.stripe.checkout.sessions.create({ ...base, success_url: undefined as unknown as string })).rejects.toMatchObject({ param: 'success_url' });
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'payment' })).rejects.toMatchObject({ param: 'line_items[0][price]' });
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'setup' })).rejects.toMatchObject({ param: 'mode' });
  });

  it('expires an open session, emits checkout.session.expired, and lists sessions', async () => {
    const price = await createPlan(h.stripe);
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: 'https://x.test/ok',
    });
    expect(session.amount_total).toBe(4000);
    const expired = await h.stripe.checkout.sessions.expire(session.id);
    expect(expired.status).toBe('expired');
    await expect(h.stripe.checkout.sessions.expire(session.id)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const paid = await h.control('POST', `/checkout_sessions/${session.id}/pay`, { card: '4242424242424242' });
    expect(paid.status).toBe(400);
    expect((await h.stripe.checkout.sessions.list({ status: 'expired' })).data.map((s) => s.id)).toEqual([session.id]);
    await h.flush();
    expect(h.receiver.types()).toContain('checkout.session.expired');
  });

  it('pays a one-time price in payment mode', async () => {
    const price = await h.stripe.prices.create({ currency: 'usd', unit_amount: 900, product_data: { name: 'Credits' } });
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://x.test/ok',
      customer_email: 'p@example.com',
    });
    expect((await h.control('POST', `/checkout_sessions/${session.id}/pay`, { card: '4242424242424242' })).status).toBe(200);
    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', subscription: null, payment_intent: { status: 'succeeded', amount: 900 } });
  });
});

describe('checkout in payment mode with price_data', () => {
  const base = { mode: 'payment', success_url: 'https://app.example/ok?session_id={CHECKOUT_SESSION_ID}', customer_email: 'ada@example.com' } as const;

  it('charges the inline one-time price once, emits checkout.session.completed and the payment, and refunds through the payment intent', async () => {
    await h.flush();
    h.receiver.clear();
    const created = await h.stripe.checkout.sessions.create({
      ...base,
      line_items: [{ price_data: { currency: 'usd', unit_amount: 2500, product_data: { name: 'Wallet deposit' } }, quantity: 1 }],
      metadata: { kind: 'wallet_deposit' },
    });
    expect(created).toMatchObject({ mode: 'payment', amount_total: 2500, currency: 'usd', status: 'open', payment_intent: null });
    const withItems = await h.stripe.checkout.sessions.retrieve(created.id, { expand: ['line_items'] });
    expect(withItems.line_items?.data).toMatchObject([{ amount_total: 2500, description: 'Wallet deposit', price: { type: 'one_time', active: false } }]);

    const paid = await h.control('POST', `/checkout_sessions/${created.id}/pay`, { card: '4242424242424242' });
    expect(paid.status).toBe(200);
    const session = await h.stripe.checkout.sessions.retrieve(created.id);
    expect(session).toMatchObject({ status: 'complete', payment_status: 'paid', subscription: null, metadata: { kind: 'wallet_deposit' } });
    const pi = await h.stripe.paymentIntents.retrieve(String(session.payment_intent));
    expect(pi).toMatchObject({ status: 'succeeded', amount: 2500, currency: 'usd' });
    await h.flush();
    expect(h.receiver.types()).toEqual(expect.arrayContaining(['checkout.session.completed', 'payment_intent.succeeded', 'charge.succeeded']));
    expect(h.receiver.types()).not.toContain('customer.subscription.created');

    const refund = await h.stripe.refunds.create({ payment_intent: pi.id });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 2500 });
  });

  it('refuses price with price_data, product with product_data, a missing unit_amount, and an inline price in subscription mode', async () => {
    const price = await createPlan(h.stripe);
    const data = { currency: 'usd', unit_amount: 500, product_data: { name: 'Deposit' } };
    await expect(h.stripe.checkout.sessions.create({ ...base, line_items: [{ price: price.id, price_data: data, quantity: 1 }] })).rejects.toMatchObject({
      statusCode: 400,
      param: 'line_items[0][price_data]',
    });
    await expect(
      h.stripe.checkout.sessions.create({ ...base, line_items: [{ price_data: { ...data, product: 'prod_x' }, quantity: 1 }] }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items[0][price_data][product_data]' });
    await expect(
      h.stripe.checkout.sessions.create({ ...base, line_items: [{ price_data: { currency: 'usd', product_data: { name: 'x' } }, quantity: 1 }] }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items[0][price_data][unit_amount]' });
    await expect(h.stripe.checkout.sessions.create({ ...base, mode: 'subscription', line_items: [{ price_data: data, quantity: 1 }] })).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});
