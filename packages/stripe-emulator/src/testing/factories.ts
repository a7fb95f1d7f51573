import type Stripe from 'stripe';
import type { Harness } from './harness.ts';

/** A product with a monthly price; overrides for amount, interval and currency. */
export async function createPlan(
  stripe: Stripe,
  overrides: { name?: string; unitAmount?: number; interval?: 'day' | 'week' | 'month' | 'year'; currency?: string } = {},
): Promise<Stripe.Price> {
  return stripe.prices.create({
    currency: overrides.currency ?? 'usd',
    unit_amount: overrides.unitAmount ?? 2000,
    recurring: { interval: overrides.interval ?? 'month' },
    product_data: { name: overrides.name ?? 'Pro' },
  });
}

/** Creates a subscription checkout session and pays it through the control API. */
export async function subscribeViaCheckout(
  h: Harness,
  price: Stripe.Price,
  options: { card?: string; email?: string; trialDays?: number; customer?: string; metadata?: Record<string, string> } = {},
): Promise<{ session: Stripe.Checkout.Session; subscription: Stripe.Subscription }> {
  const created = await h.stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: 'https://app.example/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://app.example/cancel',
    ...(options.customer ? { customer: options.customer } : { customer_email: options.email ?? 'ada@example.com' }),
    client_reference_id: 'user_42',
    metadata: options.metadata ?? { appUserId: 'user_42' },
    subscription_data: { metadata: { plan: 'pro' }, ...(options.trialDays ? { trial_period_days: options.trialDays } : {}) },
  });
  const paid = await h.control('POST', `/checkout_sessions/${created.id}/pay`, { card: options.card ?? '4242424242424242' });
  if (paid.status !== 200) throw new Error(`checkout payment failed: ${JSON.stringify(paid.body)}`);
  const session = await h.stripe.checkout.sessions.retrieve(created.id, { expand: ['subscription'] });
  return { session, subscription: session.subscription as Stripe.Subscription };
}

/** What Stripe sends, in order, when an invoice is paid: a subscription's first one, a renewal, a proration. */
export const PAID_INVOICE_EVENTS = [
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_succeeded',
  'payment_intent.succeeded',
  'charge.succeeded',
];

/** A fresh plan subscribed through Checkout, its webhooks delivered and cleared: a test starts from a quiet subscription. */
export async function subscribedQuietly(h: Harness, options: Parameters<typeof subscribeViaCheckout>[2] = {}): Promise<Stripe.Subscription> {
  const price = await createPlan(h.stripe);
  const { subscription } = await subscribeViaCheckout(h, price, options);
  await h.flush();
  h.receiver.clear();
  return subscription;
}
