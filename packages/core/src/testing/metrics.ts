import { invoices, refunds, subscriptions, type SubscriptionRow } from '@aquoris/db';
import type { Deps } from '../deps.ts';
import type { Currency } from '../money.ts';
import { recordCustomerMetrics, recordInvoiceRevenue } from '../metrics/record.ts';

// Writes for the metrics tests that stand in for a path (a Stripe apply, an admin action) at a time set by
// the test's clock: each writes the base row and records the change in the same transaction, as the paths do.

type Status = SubscriptionRow['status'];

export async function startSubscription(
  deps: Deps,
  owner: { appId: string; customerId: string },
  planId: string,
  status: Status,
  source: SubscriptionRow['source'] = 'CHECKOUT',
): Promise<SubscriptionRow> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await subscriptions.insert(tx, {
      ...owner,
      planId,
      status,
      source,
      kind: 'BASE',
      currentPeriodStart: now,
      currentPeriodEnd: new Date(now.getTime() + 30 * 86_400_000),
    });
    await recordCustomerMetrics(tx, row, now);
    return row;
  });
}

export async function changeSubscription(deps: Deps, id: string, values: subscriptions.SubscriptionUpdate): Promise<SubscriptionRow> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await subscriptions.update(tx, id, values);
    await recordCustomerMetrics(tx, row, now);
    return row;
  });
}

/** A PAID invoice of the subscription, paid now. */
export async function payInvoice(deps: Deps, sub: SubscriptionRow, amount: number, currency: Currency) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const invoice = await invoices.insert(tx, {
      appId: sub.appId,
      customerId: sub.customerId,
      subscriptionId: sub.id,
      source: 'STRIPE',
      status: 'PAID',
      amount,
      amountPaid: amount,
      currency,
      paidAt: now,
      createdAt: now,
    });
    await recordInvoiceRevenue(tx, invoice);
    return invoice;
  });
}

/** A SUCCEEDED refund of the invoice, made now (the refund's time is its row's createdAt). */
export async function refundAt(deps: Deps, invoice: { id: string; appId: string; currency: Currency }, amount: number) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const refund = await refunds.insert(tx, {
      invoiceId: invoice.id,
      amount,
      currency: invoice.currency,
      status: 'SUCCEEDED',
      reason: null,
      createdById: null,
      createdAt: now,
    });
    await invoices.addRefunded(tx, invoice.id, amount);
    await recordInvoiceRevenue(tx, invoice);
    return refund;
  });
}
