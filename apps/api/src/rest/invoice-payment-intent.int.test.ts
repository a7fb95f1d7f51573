import { issueInvoice, processStripeObject, recordStripeEvent } from '@aquoris/core';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { TEST_ACTOR } from '../testing/index.ts';
import { CARD_DECLINED, CARD_OK, type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { type StripeTestStack, waitFor } from '../testing/stripe.ts';

// POST /api/v1/invoices/{invoiceId}/payment-intent against the emulator, and the payment_intent.* webhooks.

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const db = () => stack.api.prisma;
const deps = () => stack.api.server.deps;

async function issuedInvoice(externalUserId: string, amount = '1,500.00') {
  const put = await stack.api.request(`/api/v1/customers/${externalUserId}`, {
    method: 'PUT',
    apiKey: catalog.app.apiKey,
    json: { email: `${externalUserId}@example.com` },
  });
  expect(put.status).toBe(200);
  const customer = await db().customer.findFirstOrThrow({ where: { appId: catalog.app.id, externalUserId } });
  return issueInvoice(deps(), TEST_ACTOR, { customerId: customer.id, amount, currency: 'thb', description: 'Onboarding workshop', dueDate: '2031-01-31' });
}

/** A response's JSON, loosely typed (the assertions check it). */
const body = async (res: Response): Promise<any> => res.json();

const createIntent = (invoiceId: string, apiKey = catalog.app.apiKey) =>
  stack.api.request(`/api/v1/invoices/${invoiceId}/payment-intent`, { method: 'POST', apiKey });

/** The emulator's card page, as the browser posts it. */
async function payOnPage(pi: { id: string; clientSecret: string }, card: string) {
  return fetch(`${stack.emulator.url}/pay/${pi.id}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_secret: pi.clientSecret, return_url: 'http://127.0.0.1/billing/', cardNumber: card }),
  });
}

describe('POST /invoices/{invoiceId}/payment-intent', () => {
  it('an issued invoice: declined, then paid with the same payment intent; PAID with the payment and revenue', async () => {
    const issued = await issuedInvoice('pi-declined-then-paid');
    expect(issued).toMatchObject({ status: 'OPEN', amount: 150000, currency: 'thb' });
    const first = await createIntent(issued.invoiceId);
    expect(first.status).toBe(200);
    const pi = await body(first);
    expect(pi).toMatchObject({ invoiceId: issued.invoiceId, amount: 150000, currency: 'thb', status: 'requires_payment_method' });
    expect(pi.clientSecret).toMatch(/^pi_.+_secret_/);

    expect((await payOnPage(pi, CARD_DECLINED)).status).toBe(402);
    await settle(stack);
    const failed = await db().invoice.findUniqueOrThrow({ where: { id: issued.invoiceId } });
    expect(failed).toMatchObject({ status: 'OPEN', paymentFailureReason: 'Your card was declined. (generic_decline)' });
    const audit = await db().auditLog.findFirstOrThrow({
      where: { action: 'stripe.event.processed', details: { path: ['type'], equals: 'payment_intent.payment_failed' } },
    });
    expect(audit.details).toMatchObject({ invoiceId: issued.invoiceId, failureReason: 'Your card was declined. (generic_decline)' });

    const again = await body(await createIntent(issued.invoiceId));
    expect(again.id).toBe(pi.id);
    expect((await payOnPage(again, CARD_OK)).status).toBe(303);
    await settle(stack);
    const paid = await db().invoice.findUniqueOrThrow({ where: { id: issued.invoiceId } });
    const stripePi = await stack.stripe.paymentIntents.retrieve(pi.id);
    expect(paid).toMatchObject({
      status: 'PAID',
      amountPaid: 150000,
      paymentFailureReason: null,
      stripePaymentIntentId: pi.id,
      stripeChargeId: stripePi.latest_charge,
    });
    expect(paid.paidAt).not.toBeNull();
    const revenue = await db().revenueEntry.findMany({ where: { invoiceId: issued.invoiceId } });
    expect(revenue.map((r) => r.gross)).toEqual([150000]);

    const refused = await createIntent(issued.invoiceId);
    expect(refused.status).toBe(409);
    expect((await body(refused)).error.code).toBe('INVOICE_ALREADY_PAID');
  });

  it('concurrent calls make one payment intent', async () => {
    const issued = await issuedInvoice('pi-concurrent', '99.00');
    const answers = await Promise.all(Array.from({ length: 8 }, () => createIntent(issued.invoiceId)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const ids = new Set(await Promise.all(answers.map(async (a) => (await body(a)).id)));
    expect(ids.size).toBe(1);
    const stripeCustomer = (await db().customer.findFirstOrThrow({ where: { externalUserId: 'pi-concurrent' } })).stripeCustomerId!;
    expect((await stack.stripe.paymentIntents.list({ customer: stripeCustomer })).data).toHaveLength(1);
  });

  it("refuses a void invoice, answers 404 for another app's invoice and an unknown one, 401 without a key", async () => {
    const issued = await issuedInvoice('pi-refusals', '10.00');
    const other = await stack.api.createApp();
    const foreign = await createIntent(issued.invoiceId, other.apiKey);
    expect(foreign.status).toBe(404);
    expect((await body(foreign)).error.code).toBe('INVOICE_NOT_FOUND');
    expect((await createIntent('no-such-invoice')).status).toBe(404);
    expect((await stack.api.request(`/api/v1/invoices/${issued.invoiceId}/payment-intent`, { method: 'POST' })).status).toBe(401);
    await db().invoice.update({ where: { id: issued.invoiceId }, data: { status: 'VOID' } });
    const voided = await createIntent(issued.invoiceId);
    expect(voided.status).toBe(409);
    expect(await body(voided)).toEqual({ error: { code: 'INVOICE_VOID', message: 'This invoice is void: nothing is owed on it' } });
  });

  it('payment_intent events duplicated and out of order leave the invoice PAID, its revenue counted once', async () => {
    const issued = await issuedInvoice('pi-out-of-order', '20.00');
    const pi = await body(await createIntent(issued.invoiceId));
    expect((await payOnPage(pi, CARD_DECLINED)).status).toBe(402);
    expect((await payOnPage(pi, CARD_OK)).status).toBe(303);
    await settle(stack);
    const snapshot = (await stack.stripe.paymentIntents.retrieve(pi.id)) as Stripe.PaymentIntent;
    const failedCopy = { ...snapshot, status: 'requires_payment_method' };
    // A late payment_failed (an older event) and a redelivered succeeded arrive after the fact.
    const now = Math.floor(Date.now() / 1000);
    for (const [id, type, object] of [
      ['evt_pi_late_failed', 'payment_intent.payment_failed', failedCopy],
      ['evt_pi_dup_succeeded', 'payment_intent.succeeded', snapshot],
    ] as const) {
      expect(await recordStripeEvent(deps(), { id, type, created: now - 60, data: { object } })).toEqual({
        action: 'enqueue',
        object: { kind: 'payment_intent', objectId: pi.id },
      });
    }
    await processStripeObject(deps(), { kind: 'payment_intent', objectId: pi.id });
    await settle(stack);
    expect(await db().invoice.findUniqueOrThrow({ where: { id: issued.invoiceId } })).toMatchObject({
      status: 'PAID',
      amountPaid: 2000,
      paymentFailureReason: null,
    });
    expect((await db().revenueEntry.findMany({ where: { invoiceId: issued.invoiceId } })).map((r) => r.gross)).toEqual([2000]);
    // Stripe's own payment intents (a subscription's charges) carry no invoice of ours: not stored.
    expect(
      await recordStripeEvent(deps(), {
        id: 'evt_pi_foreign',
        type: 'payment_intent.succeeded',
        created: now,
        data: { object: { ...snapshot, metadata: {} } },
      }),
    ).toEqual({
      action: 'ignored',
    });
  });

  it('a subscription invoice whose renewal failed: paid through its own payment intent, the subscription ACTIVE again', async () => {
    const sub = await stack.subscriber(catalog.app, 'pi-subscription');
    const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
    const stripeCustomer = (await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } })).stripeCustomerId!;
    await stack.control('POST', `/customers/${stripeCustomer}/fail_next_charge`, { times: 1 });
    const end = (await stack.stripe.subscriptions.retrieve(stripeSubscriptionId)).items.data[0]!.current_period_end;
    await stack.advanceClock(end + 60 - stack.emulator.ctx.clock.now());
    await settle(stack);
    const open = await db().invoice.findFirstOrThrow({ where: { customerId: sub.customerId, status: 'OPEN' } });
    const pi = await body(await createIntent(open.id));
    const payments = await stack.stripe.invoicePayments.list({ invoice: open.stripeInvoiceId! });
    expect(payments.data.map((p) => p.payment.payment_intent)).toContain(pi.id);
    expect((await payOnPage(pi, CARD_DECLINED)).status).toBe(402);
    await settle(stack);
    expect(await db().invoice.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({
      status: 'OPEN',
      paymentFailureReason: 'Your card was declined. (generic_decline)',
    });
    expect((await body(await createIntent(open.id))).id).toBe(pi.id);
    expect((await payOnPage(pi, CARD_OK)).status).toBe(303);
    await settle(stack);
    await waitFor(async () => (await db().invoice.findUniqueOrThrow({ where: { id: open.id } })).status === 'PAID', { what: 'the invoice to be PAID' });
    expect(await db().invoice.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ paymentFailureReason: null, stripePaymentIntentId: pi.id });
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE' });
  });
});
