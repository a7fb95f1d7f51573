import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { LONG_TX, lockKey } from '../locks.ts';
import { callStripe, withStripe } from '../stripe/gateway.ts';

/**
 * The Stripe customer of one of our customers, created on first need and
 * stored. Concurrent first calls serialise on an advisory lock; the Stripe
 * idempotency key makes a retry after a failed database write reuse the same
 * Stripe customer instead of creating a second one.
 */
export async function ensureStripeCustomer(deps: Deps, customerId: string): Promise<string> {
  const sdeps = withStripe(deps);
  return deps.db.$transaction(async (tx) => {
    await lockKey(tx, `stripe:customer:${customerId}`);
    const customer = await tx.customer.findUnique({ where: { id: customerId }, include: { app: { select: { slug: true } } } });
    if (!customer) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
    if (customer.stripeCustomerId) return customer.stripeCustomerId;
    const created = await callStripe(deps, 'customer create', () =>
      sdeps.stripe.customers.create(
        {
          ...(customer.email ? { email: customer.email } : {}),
          ...(customer.name ? { name: customer.name } : {}),
          metadata: { customerId: customer.id, appId: customer.appId, app: customer.app.slug, externalUserId: customer.externalUserId },
        },
        { idempotencyKey: `aqb-customer-${customer.id}` },
      ),
    );
    await tx.customer.update({ where: { id: customer.id }, data: { stripeCustomerId: created.id } });
    return created.id;
  }, LONG_TX);
}

/**
 * Pushes the customer's current email and name to the linked Stripe customer
 * (the background job behind PUT /customers). Reads the row at run time, so a
 * late retry never writes stale values. Throws on Stripe failure so the job is
 * retried.
 */
export async function pushCustomerToStripe(deps: Deps, customerId: string): Promise<{ synced: boolean }> {
  const sdeps = withStripe(deps);
  const customer = await deps.db.customer.findUnique({ where: { id: customerId } });
  if (!customer?.stripeCustomerId) return { synced: false };
  const stripeCustomerId = customer.stripeCustomerId;
  await callStripe(deps, 'customer update', () =>
    sdeps.stripe.customers.update(stripeCustomerId, { email: customer.email ?? '', name: customer.name ?? '' }),
  );
  return { synced: true };
}
