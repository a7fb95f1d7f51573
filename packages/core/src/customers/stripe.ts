import { customers } from '@aquoris/db';
import type Stripe from 'stripe';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { callStripe, idempotencyKey } from '../stripe/gateway.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';

/**
 * The Stripe customer of one of our customers, created on first need and stored. Stripe is called with no
 * transaction open and no lock held: concurrent first calls each ask Stripe with the same idempotency key
 * (derived from our customer id and the parameters), so they get the same Stripe customer back, and a short
 * transaction stores it only if the row still has none. When the profile changed between two first calls, the
 * keys differ: the first stored wins, and the other Stripe customer, never stored, is deleted again.
 */
export async function ensureStripeCustomer(deps: Deps, customerId: string): Promise<string> {
  const customer = await customers.findWithAppSlug(deps.db.kysely, customerId);
  if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  const sdeps = await stripeFor(deps, customer.appId);
  const livemode = sdeps.stripeAccount.livemode;
  // A Stripe customer of another account or mode (the app moved to its own account, or to live) is not reused.
  if (customer.stripeCustomerId && customer.livemode === livemode) return customer.stripeCustomerId;
  const params: Stripe.CustomerCreateParams = {
    ...(customer.email ? { email: customer.email } : {}),
    ...(customer.name ? { name: customer.name } : {}),
    metadata: { customerId: customer.id, appId: customer.appId, app: customer.appSlug, externalUserId: customer.externalUserId },
  };
  const created = await callStripe(deps, 'customer create', () =>
    sdeps.stripe.customers.create(params, { idempotencyKey: idempotencyKey(`aqb-customer-${customer.id}-${livemode ? 'live' : 'test'}`, params) }),
  );
  const stored = await deps.db.transaction((tx) => customers.setStripeCustomerIdIfEmpty(tx, customer.id, created.id, created.livemode));
  if (stored !== created.id) {
    await sdeps.stripe.customers
      .del(created.id)
      .catch((err: unknown) => deps.log.warn({ err, stripeCustomerId: created.id }, 'could not delete an unused Stripe customer'));
  }
  return stored;
}

/**
 * Pushes the customer's current email and name to the linked Stripe customer
 * (the background job behind PUT /customers). Reads the row at run time, so a
 * late retry never writes stale values, then clears the sync mark unless a
 * newer change set it again meanwhile (that change has its own job). Throws on
 * Stripe failure so the job is retried.
 */
export async function pushCustomerToStripe(deps: Deps, customerId: string): Promise<{ synced: boolean }> {
  const customer = await customers.findById(deps.db.kysely, customerId);
  if (!customer?.stripeCustomerId) return { synced: false };
  const sdeps = await stripeFor(deps, customer.appId);
  const stripeCustomerId = customer.stripeCustomerId;
  await callStripe(deps, 'customer update', () => sdeps.stripe.customers.update(stripeCustomerId, { email: customer.email ?? '', name: customer.name ?? '' }));
  if (customer.stripeSyncRequestedAt) {
    await customers.clearStripeSyncRequested(deps.db.kysely, customer.id, customer.stripeSyncRequestedAt);
  }
  return { synced: true };
}

/** Customers whose profile change has waited longer than `olderThanMs` for Stripe: the sweeper queues them again. */
export async function findCustomersToSync(
  deps: Pick<Deps, 'db' | 'clock'>,
  olderThanMs: number,
  limit = 200,
): Promise<Array<{ id: string; requestedAt: Date }>> {
  return customers.listStripeSyncRequestedBefore(deps.db.kysely, new Date(deps.clock.now().getTime() - olderThanMs), limit);
}
