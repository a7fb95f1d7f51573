import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlan, PAID_INVOICE_EVENTS, subscribeViaCheckout } from '../testing/factories.ts';
import { startHarness, type Harness } from '../testing/harness.ts';
import { StripeSchemas } from '../testing/stripe-schema.ts';

// Real emulator responses, made through stripe-node, checked against JSON Schemas generated from the
// stripe package's own types: every required property present, every type right, nothing extra.

/** `customer.subscription.trial_will_end` -> `CustomerSubscriptionTrialWillEndEvent`. */
const eventTypeName = (type: string) =>
  `${type
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Event`;

const EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'product.created',
  'price.created',
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.deleted',
  'customer.subscription.trial_will_end',
  ...PAID_INVOICE_EVENTS,
  'charge.refunded',
  'refund.created',
  'billing_portal.session.created',
  'test_helpers.test_clock.created',
  'test_helpers.test_clock.advancing',
  'test_helpers.test_clock.ready',
  'test_helpers.test_clock.deleted',
];
const OBJECT_TYPES = [
  'Customer',
  'DeletedCustomer',
  'Product',
  'Price',
  'PaymentMethod',
  'Checkout.Session',
  'LineItem',
  'Subscription',
  'SubscriptionItem',
  'Invoice',
  'InvoiceLineItem',
  'InvoicePayment',
  'PaymentIntent',
  'Charge',
  'Refund',
  'BillingPortal.Session',
  'WebhookEndpoint',
  'TestHelpers.TestClock',
  'TestHelpers.DeletedTestClock',
];

let h: Harness;
let schemas: StripeSchemas;
/** What the emulator answered, by the stripe type it should conform to. */
const samples: Array<{ type: string; value: unknown }> = [];
const keep = <T>(type: string, value: T): T => {
  // Only what went over the wire: stripe-node's own additions (lastResponse) are not part of the object.
  samples.push({ type, value: JSON.parse(JSON.stringify(value)) });
  return value;
};

beforeAll(async () => {
  h = await startHarness();
  // BillingPortal's Session shares its name with Checkout's: it gets a schema of its own.
  const portal = ['BillingPortal.Session', eventTypeName('billing_portal.session.created')];
  schemas = StripeSchemas.load([[...OBJECT_TYPES, ...EVENT_TYPES.map(eventTypeName)].filter((n) => !portal.includes(n)), portal]);

  const customer = keep('Customer', await h.stripe.customers.create({ email: 'ada@example.com', name: 'Ada', metadata: { appUserId: 'u1' } }));
  keep('Customer', await h.stripe.customers.update(customer.id, { name: 'Ada L.' }));
  const price = keep('Price', await createPlan(h.stripe));
  keep('Product', await h.stripe.products.retrieve(String(price.product)));
  const open = keep(
    'Checkout.Session',
    await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://app.example/ok',
      customer: customer.id,
    }),
  );
  keep('LineItem', (await h.stripe.checkout.sessions.listLineItems(open.id)).data[0]);
  expect((await h.control('POST', `/checkout_sessions/${open.id}/pay`, { card: '4242424242424242' })).status).toBe(200);
  const session = keep('Checkout.Session', await h.stripe.checkout.sessions.retrieve(open.id));
  const sub = keep('Subscription', await h.stripe.subscriptions.retrieve(String(session.subscription)));
  keep('SubscriptionItem', sub.items.data[0]);
  keep('PaymentMethod', await h.stripe.paymentMethods.retrieve(String(sub.default_payment_method)));
  const invoice = keep('Invoice', await h.stripe.invoices.retrieve(String(sub.latest_invoice)));
  keep('InvoiceLineItem', invoice.lines.data[0]);
  const payment = keep('InvoicePayment', (await h.stripe.invoicePayments.list({ invoice: invoice.id })).data[0]);
  const intent = keep('PaymentIntent', await h.stripe.paymentIntents.retrieve(String(payment?.payment.payment_intent)));
  keep('Refund', await h.stripe.refunds.create({ payment_intent: intent.id, amount: 500 }));
  keep('Charge', await h.stripe.charges.retrieve(String(intent.latest_charge)));
  keep('BillingPortal.Session', await h.stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'https://app.example' }));
  keep('WebhookEndpoint', await h.stripe.webhookEndpoints.create({ url: 'https://hooks.example/x', enabled_events: ['invoice.paid'] }));

  // A trialing subscription on a test clock, advanced past its trial-will-end notice.
  const clock = keep('TestHelpers.TestClock', await h.stripe.testHelpers.testClocks.create({ frozen_time: Date.UTC(2025, 0, 15) / 1000 }));
  const clocked = await h.stripe.customers.create({ email: 'clocked@example.com', test_clock: clock.id });
  const trial = await subscribeViaCheckout(h, price, { customer: clocked.id, trialDays: 7 });
  keep('Subscription', trial.subscription);
  keep('TestHelpers.TestClock', await h.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: clock.frozen_time + 5 * 86_400 }));
  for (let ready = false; !ready;) ready = (await h.stripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready';
  keep('TestHelpers.DeletedTestClock', await h.stripe.testHelpers.testClocks.del(clock.id));
  keep('DeletedCustomer', await h.stripe.customers.del(customer.id));
  await h.flush();
}, 180_000);
afterAll(async () => h.close());

// Compiling the generated schemas takes a while on a busy machine.
describe('emulator objects against the stripe package types', { timeout: 120_000 }, () => {
  it('every object type was sampled', () => {
    expect(new Set(samples.map((s) => s.type))).toEqual(new Set(OBJECT_TYPES));
  });

  it.each(OBJECT_TYPES)('%s conforms', (type) => {
    const problems = samples.filter((s) => s.type === type).flatMap((s) => schemas.errors(type, s.value));
    expect(problems).toEqual([]);
  });

  it('every webhook event conforms to its own event type', () => {
    const events = h.receiver.accepted();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    const problems = events.flatMap((e) => schemas.errors(eventTypeName(e.type), JSON.parse(JSON.stringify(e)) as Stripe.Event).map((p) => `${e.type} ${p}`));
    expect(problems).toEqual([]);
  });

  it('can fail: a missing required property, a wrong type and an unknown property are each reported', () => {
    const customer = samples.find((s) => s.type === 'Customer')?.value as Record<string, unknown>;
    const withoutEmail = Object.fromEntries(Object.entries(customer).filter(([key]) => key !== 'email'));
    expect(schemas.errors('Customer', withoutEmail).join('\n')).toMatch(/must have required property 'email'/);
    expect(schemas.errors('Customer', { ...customer, balance: '0' }).join('\n')).toMatch(/\/balance must be number/);
    expect(schemas.errors('Customer', { ...customer, paid: true }).join('\n')).toMatch(/must NOT have additional properties.*paid/);
    expect(schemas.errors('Checkout.Session', { ...(samples.find((s) => s.type === 'Checkout.Session')?.value as object), ui_mode: 'hosted' })).not.toEqual([]);
  });
});
