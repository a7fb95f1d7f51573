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
  return deps.db.prisma.$transaction(async (tx) => {
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
 * late retry never writes stale values, then clears the sync mark unless a
 * newer change set it again meanwhile (that change has its own job). Throws on
 * Stripe failure so the job is retried.
 */
export async function pushCustomerToStripe(deps: Deps, customerId: string): Promise<{ synced: boolean }> {
  const sdeps = withStripe(deps);
  const customer = await deps.db.prisma.customer.findUnique({ where: { id: customerId } });
  if (!customer?.stripeCustomerId) return { synced: false };
  const stripeCustomerId = customer.stripeCustomerId;
  await callStripe(deps, 'customer update', () => sdeps.stripe.customers.update(stripeCustomerId, { email: customer.email ?? '', name: customer.name ?? '' }));
  if (customer.stripeSyncRequestedAt) {
    await deps.db.prisma.customer.updateMany({
      where: { id: customer.id, stripeSyncRequestedAt: customer.stripeSyncRequestedAt },
      data: { stripeSyncRequestedAt: null },
    });
  }
  return { synced: true };
}

/** Customers whose profile change has waited longer than `olderThanMs` for Stripe: the sweeper queues them again. */
export async function findCustomersToSync(
  deps: Pick<Deps, 'db' | 'clock'>,
  olderThanMs: number,
  limit = 200,
): Promise<Array<{ id: string; requestedAt: Date }>> {
  const rows = await deps.db.prisma.customer.findMany({
    where: { stripeSyncRequestedAt: { lt: new Date(deps.clock.now().getTime() - olderThanMs) } },
    orderBy: { stripeSyncRequestedAt: 'asc' },
    take: limit,
    select: { id: true, stripeSyncRequestedAt: true },
  });
  return rows.map((row) => ({ id: row.id, requestedAt: row.stripeSyncRequestedAt as Date }));
}
