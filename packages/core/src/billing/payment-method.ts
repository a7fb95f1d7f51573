import { customers } from '@aquoris/db';
import type Stripe from 'stripe';
import type { SubscriberActor } from '../actors.ts';
import type { Deps } from '../deps.ts';
import { callStripe } from '../stripe/gateway.ts';
import type { BillingPaymentMethod } from './schemas.ts';
import { findLiveStripeSubscription } from './service.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : (value?.id ?? null));

/**
 * `billing.paymentMethod`: the card on file, read from Stripe (we store no card data): the live
 * subscription's default payment method, else the customer's invoice default, as Stripe charges them.
 */
export async function getBillingPaymentMethod(deps: Deps, actor: SubscriberActor): Promise<BillingPaymentMethod> {
  const customer = await customers.findInApp(deps.db.kysely, actor.appId, actor.customerId);
  if (!customer?.stripeCustomerId) return { card: null };
  const stripeCustomerId = customer.stripeCustomerId;
  const sdeps = await stripeFor(deps, actor.appId);
  const live = await findLiveStripeSubscription(deps.db.kysely, actor);
  let paymentMethodId: string | null = null;
  if (live?.stripeSubscriptionId) {
    const id = live.stripeSubscriptionId;
    const sub = await callStripe(deps, 'subscription retrieve', () => sdeps.stripe.subscriptions.retrieve(id));
    paymentMethodId = idOf(sub.default_payment_method);
  }
  if (!paymentMethodId) {
    const found = await callStripe(deps, 'customer retrieve', () => sdeps.stripe.customers.retrieve(stripeCustomerId));
    paymentMethodId = found.deleted ? null : idOf((found as Stripe.Customer).invoice_settings?.default_payment_method);
  }
  if (!paymentMethodId) return { card: null };
  const pmId = paymentMethodId;
  const pm = await callStripe(deps, 'payment method retrieve', () => sdeps.stripe.paymentMethods.retrieve(pmId));
  return { card: pm.card ? { brand: pm.card.brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year } : null };
}
