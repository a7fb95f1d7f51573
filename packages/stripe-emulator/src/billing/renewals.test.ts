import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createPlan, PAID_INVOICE_EVENTS, subscribeViaCheckout, subscribedQuietly } from '../testing/factories.ts';
import { startHarness } from '../testing/harness.ts';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

const DAY = 86_400;
const advance = async (seconds: number) => {
  const res = await h.control<{ now: number }>('POST', '/clock/advance', { seconds });
  expect(res.status).toBe(200);
  return res.body.now;
};
const periodEnd = (sub: Stripe.Subscription) => sub.items.data[0]?.current_period_end ?? 0;

const subscribed = (options: Parameters<typeof subscribedQuietly>[1] = {}) => subscribedQuietly(h, options);

describe('renewals on clock advance', () => {
  it('renews at period end: new period, paid invoice, invoice.paid and customer.subscription.updated', async () => {
    const sub = await subscribed();
    const oldEnd = periodEnd(sub);
    const before = (await h.control<{ now: number }>('GET', '/clock')).body.now;
    const now = await advance(oldEnd - before + 60);
    expect(now).toBeGreaterThan(oldEnd);

    const renewed = await h.stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(renewed.status).toBe('active');
    expect(renewed.items.data[0]?.current_period_start).toBe(oldEnd);
    expect(periodEnd(renewed)).toBeGreaterThan(oldEnd + 27 * DAY);
    const invoice = renewed.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: 'paid', billing_reason: 'subscription_cycle', amount_paid: 2000, created: oldEnd });
    expect(invoice.lines.data[0]?.period).toEqual({ start: oldEnd, end: periodEnd(renewed) });
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(2);

    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.subscription.updated', ...PAID_INVOICE_EVENTS]);
    const updated = h.receiver.accepted()[0] as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(updated.data.previous_attributes?.items?.data[0]?.current_period_end).toBe(oldEnd);
    expect(updated.request).toEqual({ id: null, idempotency_key: null });
    expect(updated.created).toBe(oldEnd);
  });

  it('renews once per period when one advance spans several', async () => {
    const sub = await subscribed();
    await advance(95 * DAY);
    const invoices = await h.stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data.map((i) => i.billing_reason)).toEqual(['subscription_cycle', 'subscription_cycle', 'subscription_cycle', 'subscription_create']);
    expect(invoices.data.every((i) => i.status === 'paid')).toBe(true);
    const created = invoices.data.map((i) => i.created).reverse();
    expect(created[1]).toBe(periodEnd(sub));
    expect(new Set(created).size).toBe(4);
  });

  it('fail_next_charge: invoice.payment_failed and past_due, then the retry 3 days later recovers', async () => {
    const sub = await subscribed();
    const flagged = await h.control('POST', `/customers/${String(sub.customer)}/fail_next_charge`);
    expect(flagged.status).toBe(200);
    h.advanceTo(periodEnd(sub) + 60); // past the renewal, not yet at its retry

    const pastDue = await h.stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(pastDue.status).toBe('past_due');
    const invoice = pastDue.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, attempted: true, amount_paid: 0 });
    expect(invoice.next_payment_attempt).toBe(periodEnd(sub) + 3 * DAY);
    const charges = await h.stripe.charges.list({ customer: String(sub.customer) });
    expect(charges.data[0]).toMatchObject({ status: 'failed', failure_code: 'generic_decline' });
    await h.flush();
    expect(h.receiver.types()).toEqual(expect.arrayContaining(['invoice.payment_failed', 'charge.failed', 'payment_intent.payment_failed']));
    const statusChange = h.receiver
      .accepted()
      .filter((e) => e.type === 'customer.subscription.updated')
      .at(-1) as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(statusChange.data.object.status).toBe('past_due');
    expect(statusChange.data.previous_attributes).toEqual({ status: 'active' });
    h.receiver.clear();

    h.advanceTo(Number(invoice.next_payment_attempt) + 60);
    const recovered = await h.stripe.subscriptions.retrieve(sub.id);
    expect(recovered.status).toBe('active');
    const paid = await h.stripe.invoices.retrieve(invoice.id);
    expect(paid).toMatchObject({ status: 'paid', attempt_count: 2, next_payment_attempt: null });
    const pi = await h.stripe.paymentIntents.retrieve(String((await h.stripe.invoicePayments.list({ invoice: invoice.id })).data[0]?.payment.payment_intent));
    expect(pi.status).toBe('succeeded');
    expect((await h.stripe.charges.list({ payment_intent: pi.id })).data.map((c) => c.status)).toEqual(['succeeded', 'failed']);
    await h.flush();
    expect(h.receiver.types()).toEqual([
      'invoice.paid',
      'invoice.payment_succeeded',
      'payment_intent.succeeded',
      'charge.succeeded',
      'customer.subscription.updated',
    ]);
  });

  it('cancels after the last failed retry (the default dunning rule) with reason payment_failed', async () => {
    const sub = await subscribed({ card: '4000000000000341' }).catch(() => null);
    expect(sub).toBeNull(); // 0341 declines its first charge, so checkout itself refuses it
    const okSub = await subscribed();
    await h.control('POST', `/customers/${String(okSub.customer)}/fail_next_charge`, { times: 4 });
    h.advanceTo(periodEnd(okSub) + 3 * 3 * DAY + 60);
    const canceled = await h.stripe.subscriptions.retrieve(okSub.id);
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: { reason: 'payment_failed' } });
    const invoice = await h.stripe.invoices.retrieve(String(canceled.latest_invoice));
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 4, next_payment_attempt: null });
    await h.flush();
    const types = h.receiver.types();
    expect(types.filter((t) => t === 'invoice.payment_failed')).toHaveLength(4);
    expect(types.at(-1)).toBe('customer.subscription.deleted');
  });

  it('with dunning.finalAction=unpaid the subscription turns unpaid instead, and paying the invoice revives it', async () => {
    const strict = await startHarness({ dunning: { finalAction: 'unpaid', maxAttempts: 2, retryIntervalSeconds: DAY } });
    try {
      const price = await createPlan(strict.stripe);
      const { subscription } = await subscribeViaCheckout(strict, price);
      await strict.control('POST', `/customers/${String(subscription.customer)}/fail_next_charge`, { times: 2 });
      const { processed } = strict.advanceTo(periodEnd(subscription) + DAY + 60);
      expect(processed).toBe(2); // the renewal and its one retry
      const unpaid = await strict.stripe.subscriptions.retrieve(subscription.id);
      expect(unpaid.status).toBe('unpaid');
      strict.emulator.advanceClock(40 * DAY);
      expect((await strict.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(2);
      await strict.stripe.invoices.pay(String(unpaid.latest_invoice));
      expect((await strict.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    } finally {
      await strict.close();
    }
  });

  it('cancel_at_period_end: updated now, deleted at period end, no renewal invoice', async () => {
    const sub = await subscribed();
    const updated = await h.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(updated).toMatchObject({ cancel_at_period_end: true, cancel_at: periodEnd(sub), status: 'active' });
    await h.flush();
    const event = h.receiver.accepted()[0] as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(event.type).toBe('customer.subscription.updated');
    expect(event.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
    h.receiver.clear();

    await advance(40 * DAY);
    const ended = await h.stripe.subscriptions.retrieve(sub.id);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: periodEnd(sub), cancellation_details: { reason: 'cancellation_requested' } });
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.subscription.deleted']);
  });

  it('DELETE cancels immediately; canceled subscriptions leave the default list', async () => {
    const sub = await subscribed();
    const canceled = await h.stripe.subscriptions.cancel(sub.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.ended_at).not.toBeNull();
    await expect(h.stripe.subscriptions.cancel(sub.id)).rejects.toMatchObject({ statusCode: 400 });
    expect((await h.stripe.subscriptions.list()).data).toHaveLength(0);
    expect((await h.stripe.subscriptions.list({ status: 'canceled' })).data.map((s) => s.id)).toEqual([sub.id]);
    await advance(40 * DAY);
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.subscription.deleted']);
  });

  it('a trial warns 3 days ahead, then bills the saved card and turns active', async () => {
    const sub = await subscribed({ trialDays: 7 });
    await advance(5 * DAY);
    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.subscription.trial_will_end']);
    await advance(3 * DAY);
    const active = await h.stripe.subscriptions.retrieve(sub.id, { expand: ['latest_invoice'] });
    expect(active.status).toBe('active');
    expect(active.items.data[0]?.current_period_start).toBe(sub.trial_end);
    expect(active.latest_invoice).toMatchObject({ status: 'paid', amount_paid: 2000 });
    await h.flush();
    const updated = h.receiver.accepted().find((e) => e.type === 'customer.subscription.updated') as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(updated.data.previous_attributes?.status).toBe('trialing');
  });
});
