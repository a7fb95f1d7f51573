import { customers, invoices } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { createTestApp } from '../testing/factories.ts';
import { refundInvoice } from './service.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;

async function manualInvoice(slug: string, status: 'PAID' | 'OPEN' = 'PAID') {
  const { app } = await createTestApp(deps(), slug);
  const customer = await customers.upsert(deps().db.kysely, app.id, 'payer', {});
  return invoices.insert(deps().db.kysely, {
    appId: app.id,
    customerId: customer.id,
    source: 'MANUAL',
    status,
    amount: 10_000,
    amountPaid: status === 'PAID' ? 10_000 : 0,
    currency: 'thb',
    paymentMethod: 'bank_transfer',
  });
}

describe('refunds of manual invoices (bookkeeping only, no Stripe)', () => {
  it('refunds in parts up to what was paid, then refuses more', async () => {
    const invoice = await manualInvoice('refunding');
    const first = await refundInvoice(deps(), ops, { invoiceId: invoice.id, amount: 4_000, reason: 'goodwill' });
    expect(first).toEqual({ refund: expect.objectContaining({ amount: 4_000, status: 'SUCCEEDED', reason: 'goodwill', currency: 'thb' }), warning: null });
    expect(await rejectionStatus(refundInvoice(deps(), ops, { invoiceId: invoice.id, amount: 6_001 }))).toBe(422);
    const rest = await refundInvoice(deps(), ops, { invoiceId: invoice.id });
    expect(rest.refund.amount).toBe(6_000);
    expect((await invoices.findById(deps().db.kysely, invoice.id))?.amountRefunded).toBe(10_000);
    expect(await rejectionStatus(refundInvoice(deps(), ops, { invoiceId: invoice.id }))).toBe(409);
  });

  it('concurrent refunds of one invoice never exceed what was paid', async () => {
    const invoice = await manualInvoice('racing-refunds');
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => refundInvoice(deps(), ops, { invoiceId: invoice.id, amount: 4_000 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect((await invoices.findById(deps().db.kysely, invoice.id))?.amountRefunded).toBe(8_000);
  });

  it('an unpaid invoice is a 409 and an unknown one a 404', async () => {
    const open = await manualInvoice('unpaid', 'OPEN');
    expect(await rejectionStatus(refundInvoice(deps(), ops, { invoiceId: open.id }))).toBe(409);
    expect(await rejectionStatus(refundInvoice(deps(), ops, { invoiceId: 'inv_missing' }))).toBe(404);
  });
});
