import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { attachDecline, readCard } from './cards.ts';
import { attachCard } from './customers.ts';

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
