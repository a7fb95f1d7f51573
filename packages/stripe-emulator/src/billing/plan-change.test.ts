import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createPlan, subscribeViaCheckout } from '../testing/factories.ts';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

const DAY = 86_400;

/** A $20/month subscription, 10 days into its period, plus a $50/month price to move to. */
async function midPeriod() {
  const basic = await createPlan(h.stripe, { name: 'Basic', unitAmount: 2000 });
  const premium = await createPlan(h.stripe, { name: 'Premium', unitAmount: 5000 });
  const { subscription } = await subscribeViaCheckout(h, basic);
  const now = (await h.control<{ now: number }>('POST', '/clock/advance', { seconds: 10 * DAY })).body.now;
  await h.flush();
  h.receiver.clear();
  const item = subscription.items.data[0] as Stripe.SubscriptionItem;
  const fraction = (item.current_period_end - now) / (item.current_period_end - item.current_period_start);
  return { basic, premium, subscription, item, now, credit: -Math.round(2000 * fraction), debit: Math.round(5000 * fraction) };
}

const prorationLines = (invoice: Stripe.Invoice) => invoice.lines.data.filter((l) => l.parent?.subscription_item_details?.proration);

describe('plan changes', () => {
  it('previews an upgrade with always_invoice without storing anything', async () => {
    const { premium, subscription, item, now, credit, debit } = await midPeriod();
    const preview = await h.stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: { items: [{ id: item.id, price: premium.id }], proration_behavior: 'always_invoice', proration_date: now },
    });
    expect(preview.id).toMatch(/^upcoming_/);
    expect(preview.amount_due).toBe(credit + debit);
    expect(prorationLines(preview).map((l) => l.amount)).toEqual([credit, debit]);
    expect(prorationLines(preview)[0]?.description).toMatch(/^Unused time on Basic after /);
    expect(prorationLines(preview)[1]?.description).toMatch(/^Remaining time on Premium after /);
    expect(preview.parent?.subscription_details?.subscription_proration_date).toBe(now);
    expect((await h.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).items.data[0]?.price.id).not.toBe(premium.id);
  });

  it('always_invoice bills the proration now, matching the preview, and emits updated with previous items', async () => {
    const { basic, premium, subscription, item, now, credit, debit } = await midPeriod();
    const updated = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: premium.id }],
      proration_behavior: 'always_invoice',
      proration_date: now,
    });
    expect(updated.items.data[0]).toMatchObject({ id: item.id, price: { id: premium.id }, current_period_end: item.current_period_end });
    const invoice = await h.stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', status: 'paid', amount_paid: credit + debit });
    await h.flush();
    expect(h.receiver.types().slice(0, 4)).toEqual(['customer.subscription.updated', 'invoice.created', 'invoice.finalized', 'invoice.paid']);
    const event = h.receiver.accepted()[0] as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(event.data.previous_attributes?.items?.data[0]?.price.id).toBe(basic.id);
    expect(event.data.object.items.data[0]?.price.id).toBe(premium.id);
  });

  it('create_prorations leaves the lines pending and adds them to the renewal invoice', async () => {
    const { premium, subscription, item, now, credit, debit } = await midPeriod();
    await h.stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: premium.id }], proration_date: now });
    expect((await h.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);

    const preview = await h.stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview.amount_due).toBe(credit + debit + 5000);
    expect(preview.period_end).toBe(item.current_period_end);

    await h.control('POST', '/clock/advance', { seconds: 25 * DAY });
    const renewal = await h.stripe.invoices.retrieve(String((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice));
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', amount_paid: credit + debit + 5000 });
    expect(prorationLines(renewal).map((l) => l.amount)).toEqual([credit, debit]);
  });

  it('proration_behavior=none swaps the price with no proration', async () => {
    const { premium, subscription, item } = await midPeriod();
    await h.stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: premium.id }], proration_behavior: 'none' });
    await h.control('POST', '/clock/advance', { seconds: 25 * DAY });
    const renewal = await h.stripe.invoices.retrieve(String((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice));
    expect(renewal.amount_paid).toBe(5000);
    expect(prorationLines(renewal)).toHaveLength(0);
  });

  it('error_if_incomplete refuses the change with 402 when the charge declines', async () => {
    const { premium, subscription, item } = await midPeriod();
    await h.control('POST', `/customers/${String(subscription.customer)}/fail_next_charge`);
    const error = await h.stripe.subscriptions
      .update(subscription.id, { items: [{ id: item.id, price: premium.id }], proration_behavior: 'always_invoice', payment_behavior: 'error_if_incomplete' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined' });
    const unchanged = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(unchanged.items.data[0]?.price.id).toBe(item.price.id);
    expect(unchanged.status).toBe('active');
    expect((await h.stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
  });

  it('allow_incomplete keeps the change and leaves the subscription past_due when the charge declines', async () => {
    const { premium, subscription, item } = await midPeriod();
    await h.control('POST', `/customers/${String(subscription.customer)}/fail_next_charge`);
    const updated = await h.stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: premium.id }], proration_behavior: 'always_invoice' });
    expect(updated.status).toBe('past_due');
    expect(await h.stripe.invoices.retrieve(String(updated.latest_invoice))).toMatchObject({ status: 'open', attempt_count: 1 });
  });

  it('a downgrade with always_invoice turns the credit into customer balance used by the next invoice', async () => {
    const premium = await createPlan(h.stripe, { name: 'Premium', unitAmount: 5000 });
    const basic = await createPlan(h.stripe, { name: 'Basic', unitAmount: 2000 });
    const { subscription } = await subscribeViaCheckout(h, premium);
    const item = subscription.items.data[0] as Stripe.SubscriptionItem;
    await h.control('POST', '/clock/advance', { seconds: 10 * DAY });
    const updated = await h.stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, price: basic.id }], proration_behavior: 'always_invoice' });
    const invoice = await h.stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice.total).toBeLessThan(0);
    expect(invoice).toMatchObject({ amount_due: 0, status: 'paid', ending_balance: invoice.total });
    const customer = (await h.stripe.customers.retrieve(String(subscription.customer))) as Stripe.Customer;
    expect(customer.balance).toBe(invoice.total);
    await h.control('POST', '/clock/advance', { seconds: 25 * DAY });
    const renewal = await h.stripe.invoices.retrieve(String((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice));
    // The credit depends on the month's length (10 days into 28 to 31), and may exceed the renewal: Stripe then bills nothing and carries the rest.
    const left = 2000 + invoice.total;
    expect(renewal).toMatchObject({ total: 2000, amount_due: Math.max(0, left), starting_balance: invoice.total, ending_balance: Math.min(0, left) });
    expect(((await h.stripe.customers.retrieve(String(subscription.customer))) as Stripe.Customer).balance).toBe(Math.min(0, left));
  });

  it('rejects unknown items and prices', async () => {
    const { subscription, premium } = await midPeriod();
    await expect(h.stripe.subscriptions.update(subscription.id, { items: [{ id: 'si_nope', price: premium.id }] })).rejects.toMatchObject({
      param: 'items[0][id]',
    });
    await expect(
      h.stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]?.id, price: 'price_nope' }] }),
    ).rejects.toMatchObject({
      param: 'items[0][price]',
      code: 'resource_missing',
    });
  });
});
