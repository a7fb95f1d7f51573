import { customers, invoices } from '@aquoris/db';
import { describe, expect, it } from 'vitest';
import { createApp } from '../apps/service.ts';
import { DAY_MS } from '../clock.ts';
import { recordManualPayment } from '../invoices/manual-payment.ts';
import { createPlan } from '../plans/service.ts';
import { refundInvoice, refundInvoiceFromForm } from '../refunds/service.ts';
import { extendSubscription, cancelSubscriptionAtPeriodEnd, grantSubscriptionToCustomer, resumeSubscription } from '../subscriptions/operator-actions.ts';
import { expireLapsedSubscriptions, getEligibility } from '../subscriptions/service.ts';
import { rejectionStatus } from '../testing/expect.ts';
import { useCoreDeps } from '../testing/deps.ts';
import { getCustomerDetail, listCustomerInvoices, searchCustomers } from './admin.ts';

const deps = useCoreDeps();
const ops = { type: 'cli', user: 'ops' } as const;
const payment = { currency: 'thb', paymentMethod: 'bank_transfer', reference: 'KBANK-1', planSlug: 'pro', days: 30 } as const;

async function setup() {
  const { app } = await createApp(deps(), ops, { slug: 'shop', name: 'Shop', returnUrl: 'https://shop.example.com/' });
  const { app: other } = await createApp(deps(), ops, { slug: 'other', name: 'Other', returnUrl: 'https://other.example.com/' });
  await createPlan(deps(), ops, { slug: 'pro', name: 'PRO', priceAmount: 29_900, currency: 'thb', interval: 'month', stripePriceId: 'price_manual_pro' });
  const db = deps().db.kysely;
  const alice = await customers.upsert(db, app.id, 'alice-1', { email: 'Alice@Example.com', name: 'Alice Smith' });
  await customers.upsert(db, app.id, 'bob-2', { email: 'bob@example.com', name: 'Bob' });
  await customers.upsert(db, other.id, 'al_3', { email: 'al@other.com' });
  await customers.upsert(db, app.id, 'x%y', { name: 'Percent' });
  return { app, other, alice };
}

describe('customer search and detail', () => {
  it('matches a prefix of the id, email or name in any case, in one app or all, page by page', async () => {
    await setup();
    const ids = async (input: Parameters<typeof searchCustomers>[1]) => (await searchCustomers(deps(), input)).customers.map((c) => c.externalUserId).sort();
    expect(await ids({ query: 'AL' })).toEqual(['al_3', 'alice-1']);
    expect(await ids({ query: 'alice@' })).toEqual(['alice-1']);
    expect(await ids({ query: 'smith' })).toEqual([]); // a prefix, not a substring
    expect(await ids({ query: 'al', appSlug: 'shop' })).toEqual(['alice-1']);
    expect(await ids({ query: 'al_' })).toEqual(['al_3']); // LIKE's wildcards match themselves
    expect(await ids({ query: 'x%' })).toEqual(['x%y']);
    expect(await ids({})).toHaveLength(4);
    const first = await searchCustomers(deps(), { limit: 3 });
    const second = await searchCustomers(deps(), { limit: 3, cursor: first.nextCursor! });
    expect([...first.customers, ...second.customers].map((c) => c.id).length).toBe(4);
    expect(second.nextCursor).toBeNull();
    expect(first.customers[0]).toMatchObject({ app: expect.any(String), createdAt: expect.any(String) });
    expect(await rejectionStatus(searchCustomers(deps(), { appSlug: 'missing' }))).toBe(404);
  });

  it('shows profile, app, subscriptions, invoices with refunds and the audit entries of this customer only', async () => {
    const alice = (await searchCustomers(deps(), { query: 'alice-1' })).customers[0]!;
    const paid = await recordManualPayment(deps(), ops, { ...payment, customerId: alice.id, amount: '299.00', idempotencyKey: 'detail-form-1' });
    await refundInvoiceFromForm(deps(), ops, { invoiceId: paid.invoiceId, amount: '100.50', reason: 'partial' });
    const detail = await getCustomerDetail(deps(), { customerId: alice.id });
    expect(detail.customer).toMatchObject({ externalUserId: 'alice-1', email: 'Alice@Example.com', app: 'shop', appName: 'Shop' });
    expect(detail.subscriptions).toEqual([
      expect.objectContaining({ id: paid.subscriptionId, status: 'ACTIVE', source: 'MANUAL', plan: { slug: 'pro', name: 'PRO' } }),
    ]);
    expect(detail.invoices).toEqual([
      expect.objectContaining({
        id: paid.invoiceId,
        source: 'MANUAL',
        status: 'PAID',
        amount: 29_900,
        refundable: 29_900 - 10_050,
        paymentReference: 'KBANK-1',
        refunds: [expect.objectContaining({ amount: 10_050, status: 'SUCCEEDED', reason: 'partial' })],
      }),
    ]);
    expect(detail.audit.map((e) => e.action).sort()).toEqual(['payment.recorded', 'refund.recorded']);
    expect((await listCustomerInvoices(deps(), { customerId: alice.id })).invoices).toEqual(detail.invoices);
    expect(await rejectionStatus(getCustomerDetail(deps(), { customerId: 'cust_missing' }))).toBe(404);
  });
});

describe('record payment', () => {
  it('creates a PAID manual invoice and a subscription; the same form twice records one payment; a later one extends', async () => {
    const bob = (await searchCustomers(deps(), { query: 'bob-2' })).customers[0]!;
    const form = { ...payment, customerId: bob.id, amount: '1,299.00', idempotencyKey: 'bob-form-1' };
    const [one, two] = await Promise.all([recordManualPayment(deps(), ops, form), recordManualPayment(deps(), ops, form)]);
    expect(one.invoiceId).toBe(two.invoiceId);
    expect([one.replayed, two.replayed].sort()).toEqual([false, true]);
    expect(one.amount).toBe(129_900);
    expect((await listCustomerInvoices(deps(), { customerId: bob.id })).invoices).toHaveLength(1);
    const invoice = await invoices.findById(deps().db.kysely, one.invoiceId);
    expect(invoice).toMatchObject({ source: 'MANUAL', status: 'PAID', amountPaid: 129_900, paymentMethod: 'bank_transfer', currency: 'thb' });
    const eligibility = await getEligibility(deps(), { type: 'app', appId: invoice!.appId, appSlug: 'shop' }, 'bob-2');
    expect(eligibility.base).toMatchObject({ source: 'MANUAL', plan: { slug: 'pro' } });

    const again = await recordManualPayment(deps(), ops, { ...form, amount: '299', idempotencyKey: 'bob-form-2' });
    expect(again.subscriptionId).toBe(one.subscriptionId);
    expect(Date.parse(again.currentPeriodEnd) - Date.parse(one.currentPeriodEnd)).toBe(30 * DAY_MS);
    const audit = (await getCustomerDetail(deps(), { customerId: bob.id })).audit.filter((e) => e.action === 'payment.recorded');
    expect(audit).toHaveLength(2);
  });

  it('names what is wrong: amount format per currency, a reused key, an unknown plan or customer', async () => {
    const bob = (await searchCustomers(deps(), { query: 'bob-2' })).customers[0]!;
    const form = { ...payment, customerId: bob.id, idempotencyKey: 'bob-bad-1' };
    await expect(recordManualPayment(deps(), ops, { ...form, amount: '29.999' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: 'amount: THB has 2 decimal places; "29.999" has 3',
    });
    await expect(recordManualPayment(deps(), ops, { ...form, amount: '0' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(recordManualPayment(deps(), ops, { ...form, amount: '10', paymentMethod: 'crypto' as 'cash' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(recordManualPayment(deps(), ops, { ...form, amount: '10', reference: ' ' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(recordManualPayment(deps(), ops, { ...form, amount: '500.00', idempotencyKey: 'bob-form-1' })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    await expect(recordManualPayment(deps(), ops, { ...form, amount: '10', planSlug: 'nope' })).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND' });
    await expect(recordManualPayment(deps(), ops, { ...form, amount: '10', customerId: 'nope' })).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
  });
});

describe('operator actions on a manual subscription', () => {
  it('cancel at period end, resume, extend (days and reason required), each audited once', async () => {
    const customer = (await searchCustomers(deps(), { appSlug: 'shop', query: 'percent' })).customers[0]!;
    const sub = await grantSubscriptionToCustomer(deps(), ops, { customerId: customer.id, planSlug: 'pro', days: 10, reason: 'trial by phone' });
    expect(sub).toMatchObject({ source: 'MANUAL', status: 'ACTIVE', cancelAtPeriodEnd: false });

    const canceled = await cancelSubscriptionAtPeriodEnd(deps(), ops, { subscriptionId: sub.id });
    expect(canceled.cancelAtPeriodEnd).toBe(true);
    await expect(cancelSubscriptionAtPeriodEnd(deps(), ops, { subscriptionId: sub.id })).rejects.toMatchObject({ code: 'SUBSCRIPTION_ALREADY_CANCELING' });
    expect((await resumeSubscription(deps(), ops, { subscriptionId: sub.id })).cancelAtPeriodEnd).toBe(false);
    await expect(resumeSubscription(deps(), ops, { subscriptionId: sub.id })).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_CANCELING' });

    const extended = await extendSubscription(deps(), ops, { subscriptionId: sub.id, days: 5, reason: 'outage credit' });
    expect(Date.parse(extended.currentPeriodEnd) - Date.parse(sub.currentPeriodEnd)).toBe(5 * DAY_MS);
    await expect(extendSubscription(deps(), ops, { subscriptionId: sub.id, days: 5 } as never)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(extendSubscription(deps(), ops, { subscriptionId: sub.id, days: 0, reason: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(extendSubscription(deps(), ops, { subscriptionId: 'nope', days: 1, reason: 'x' })).rejects.toMatchObject({ code: 'SUBSCRIPTION_NOT_FOUND' });
    await expect(grantSubscriptionToCustomer(deps(), ops, { customerId: customer.id, planSlug: 'pro', days: 1, reason: '' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });

    const actions = (await getCustomerDetail(deps(), { customerId: customer.id })).audit.map((e) => e.action).sort();
    expect(actions).toEqual(['subscription.cancel_requested', 'subscription.extended', 'subscription.granted', 'subscription.resumed']);
    const extendEntry = (await getCustomerDetail(deps(), { customerId: customer.id })).audit.find((e) => e.action === 'subscription.extended');
    expect(extendEntry?.details).toMatchObject({ days: 5, reason: 'outage credit' });

    // An ended subscription takes no more actions.
    deps().clock.advance(20 * DAY_MS);
    await expireLapsedSubscriptions(deps());
    await expect(extendSubscription(deps(), ops, { subscriptionId: sub.id, days: 1, reason: 'late' })).rejects.toMatchObject({ code: 'SUBSCRIPTION_ENDED' });
    await expect(cancelSubscriptionAtPeriodEnd(deps(), ops, { subscriptionId: sub.id })).rejects.toMatchObject({ code: 'SUBSCRIPTION_ENDED' });
  });
});

describe('refunds from the admin form', () => {
  it('defaults to the refundable remainder, takes the Stripe or internal id, and cancels at once when asked', async () => {
    const bob = (await searchCustomers(deps(), { query: 'bob-2' })).customers[0]!;
    const paid = await recordManualPayment(deps(), ops, { ...payment, customerId: bob.id, amount: '50.00', idempotencyKey: 'bob-refund-1' });
    await expect(refundInvoiceFromForm(deps(), ops, { invoiceId: paid.invoiceId, amount: '50.001' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(refundInvoiceFromForm(deps(), ops, { invoiceId: paid.invoiceId, amount: '50.01' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    const result = await refundInvoiceFromForm(deps(), ops, { invoiceId: paid.invoiceId, cancelSubscription: true });
    expect(result).toMatchObject({ refund: { amount: 5_000, status: 'SUCCEEDED' }, warning: null });
    const detail = await getCustomerDetail(deps(), { customerId: bob.id });
    expect(detail.subscriptions.find((s) => s.id === paid.subscriptionId)?.status).toBe('CANCELED');
    expect(await rejectionStatus(refundInvoice(deps(), ops, { invoiceId: 'in_unknown' }))).toBe(404);
    const stripeLike = await invoices.insert(deps().db.kysely, {
      appId: (await invoices.findById(deps().db.kysely, paid.invoiceId))!.appId,
      customerId: bob.id,
      source: 'MANUAL',
      status: 'PAID',
      amount: 1_000,
      amountPaid: 1_000,
      currency: 'usd',
      stripeInvoiceId: 'in_test_lookup',
    });
    const byStripeId = await refundInvoiceFromForm(deps(), ops, { invoiceId: 'in_test_lookup', amount: '2.50' });
    expect(byStripeId.refund).toMatchObject({ invoiceId: stripeLike.id, amount: 250, currency: 'usd' });
  });
});
