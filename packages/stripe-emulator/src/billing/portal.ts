import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import { Params } from '../core/params.ts';
import { attachDecline, readCard } from './cards.ts';
import { attachCard } from './customers.ts';
import { updateSubscription } from './subscription-update.ts';

/**
 * What the portal's "Update payment method" does: save the card, make it the customer's default
 * and the default of each of their live subscriptions, so the next renewal or retry uses it.
 */
export function replaceDefaultCard(ctx: Ctx, customerId: string, cardNumber: string): Stripe.PaymentMethod {
  const customer = ctx.store.customers.getOrThrow(customerId, 'customer');
  const card = readCard(cardNumber);
  const decline = attachDecline(card.number);
  if (decline) throw decline;
  const pm = attachCard(ctx, { customer: customer.id, card, email: customer.email });
  const batch = ctx.events.batch();
  batch.add('payment_method.attached', pm);
  const previousSettings = { ...customer.invoice_settings };
  customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: pm.id };
  batch.add('customer.updated', customer, { invoice_settings: previousSettings });
  for (const sub of ctx.store.subscriptions.newestFirst()) {
    if (sub.customer !== customer.id || sub.status === 'canceled') continue;
    const previous = { default_payment_method: sub.default_payment_method };
    sub.default_payment_method = pm.id;
    batch.add('customer.subscription.updated', sub, previous);
  }
  batch.commit();
  return pm;
}

/**
 * The prices the portal offers a subscription to switch to. The emulator's portal configuration is
 * Stripe's `features.subscription_update` with `products` set to the subscription's own product:
 * every other active recurring price of that product in the same currency (so a plan's monthly and
 * yearly prices), nothing else.
 */
export function switchablePrices(ctx: Ctx, sub: Stripe.Subscription): Stripe.Price[] {
  const current = sub.items.data[0]?.price;
  if (!current || sub.status === 'canceled') return [];
  const product = typeof current.product === 'string' ? current.product : current.product.id;
  return ctx.store.prices
    .all()
    .filter((p) => p.id !== current.id && p.active && p.recurring && p.currency === current.currency)
    .filter((p) => (typeof p.product === 'string' ? p.product : p.product.id) === product);
}

/**
 * What the portal's "Switch" does: the subscription's one item moves to `priceId`, prorated and
 * invoiced at once (an interval change starts a new period), refused when the price is not one the
 * portal offers or when the card declines (the subscription is left as it was).
 */
export function switchSubscriptionPrice(ctx: Ctx, customerId: string, subscriptionId: string, priceId: string): Stripe.Subscription {
  const sub = ctx.store.subscriptions.getOrThrow(subscriptionId);
  if (sub.customer !== customerId) throw invalidRequest(`No such subscription: '${subscriptionId}'`, 'subscription', 'resource_missing');
  const item = sub.items.data[0];
  if (!item || !switchablePrices(ctx, sub).some((p) => p.id === priceId)) {
    throw invalidRequest('This price is not available for this subscription in the portal configuration.', 'price');
  }
  return updateSubscription(
    ctx,
    sub.id,
    new Params({ items: [{ id: item.id, price: priceId }], proration_behavior: 'always_invoice', payment_behavior: 'error_if_incomplete' }),
  );
}
