import { processStripeObject, recordStripeEvent } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { type StripeTestStack } from '../testing/stripe.ts';

// An invoice event re-reads the invoice (and its subscription) from Stripe and writes only what differs.

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const deps = () => stack.api.server.deps;
const db = () => stack.api.prisma;

async function paidInvoice(user: string) {
  const { stripeSubscriptionId } = await subscribe(stack, await stack.subscriber(catalog.app, user), 'pro');
  await settle(stack);
  const row = await db().invoice.findFirstOrThrow({ where: { subscription: { stripeSubscriptionId } } });
  return { row, snapshot: await stack.stripe.invoices.retrieve(row.stripeInvoiceId!) };
}

async function storeInvoicePaid(id: string, snapshot: { id: string }): Promise<void> {
  const outcome = await recordStripeEvent(deps(), { id, type: 'invoice.paid', created: Math.floor(Date.now() / 1000), data: { object: snapshot } });
  expect(outcome).toEqual({ action: 'enqueue', object: { kind: 'invoice', objectId: snapshot.id } });
}

describe('an invoice event', () => {
  it('that finds its invoice unchanged writes nothing but its mark and audit entry', async () => {
    const { row, snapshot } = await paidInvoice('invoice-same');
    await storeInvoicePaid('evt_invoice_same', snapshot);
    expect((await processStripeObject(deps(), { kind: 'invoice', objectId: snapshot.id })).outcome).toBe('processed');
    // Only the read ticket moves (bookkeeping: updatedAt stays, read-ticket.ts).
    const { stripeReadTicket: before, ...unchanged } = row;
    const { stripeReadTicket: after, ...now } = await db().invoice.findUniqueOrThrow({ where: { id: row.id } });
    expect(now).toEqual(unchanged);
    expect(after! > before!).toBe(true);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'stripe.event.processed', targetId: 'evt_invoice_same' } });
    expect(audit.details).toMatchObject({ type: 'invoice.paid', invoiceId: row.id, invoiceStatus: 'PAID', subscriptionStatus: 'ACTIVE' });
  });

  it('that finds its invoice out of date brings it back to Stripe’s state', async () => {
    const { row, snapshot } = await paidInvoice('invoice-drift');
    await db().invoice.update({ where: { id: row.id }, data: { status: 'OPEN', amountPaid: 0, paidAt: null } });
    await storeInvoicePaid('evt_invoice_drift', snapshot);
    expect((await processStripeObject(deps(), { kind: 'invoice', objectId: snapshot.id })).outcome).toBe('processed');
    const repaired = await db().invoice.findUniqueOrThrow({ where: { id: row.id } });
    expect({ status: repaired.status, amountPaid: repaired.amountPaid, paidAt: repaired.paidAt }).toEqual({
      status: row.status,
      amountPaid: row.amountPaid,
      paidAt: row.paidAt,
    });
    expect(await db().stripeEvent.count({ where: { id: 'evt_invoice_drift', status: 'PROCESSED' } })).toBe(1);
  });
});
