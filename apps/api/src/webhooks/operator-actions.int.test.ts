import { cancelSubscriptionAtPeriodEnd, extendSubscription, refundInvoiceFromForm, resumeSubscription, type AdminActor } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { waitFor, type StripeTestStack } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));
const admin: AdminActor = { type: 'admin', adminId: 'adm_operator' };
const DAY = 86_400;

const deps = () => stack.api.server.deps;
const db = () => stack.api.prisma;

async function stripeSubscriber(user: string) {
  const sub = await stack.subscriber(catalog.app, user);
  const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
  await settle(stack);
  const row = await db().subscription.findUniqueOrThrow({ where: { stripeSubscriptionId } });
  return { sub, row, stripeSubscriptionId };
}

describe('operator actions on Stripe subscriptions (through the emulator)', () => {
  it('Cancel Sub sets cancel_at_period_end in Stripe and here; Resume undoes it; each is audited once', async () => {
    const { row, stripeSubscriptionId } = await stripeSubscriber('cancel-resume');
    const canceled = await cancelSubscriptionAtPeriodEnd(deps(), admin, { subscriptionId: row.id });
    expect(canceled).toMatchObject({ cancelAtPeriodEnd: true, status: 'ACTIVE' });
    expect((await stack.stripe.subscriptions.retrieve(stripeSubscriptionId)).cancel_at_period_end).toBe(true);
    const resumed = await resumeSubscription(deps(), admin, { subscriptionId: row.id });
    expect(resumed.cancelAtPeriodEnd).toBe(false);
    expect((await stack.stripe.subscriptions.retrieve(stripeSubscriptionId)).cancel_at_period_end).toBe(false);
    await settle(stack);
    expect((await db().subscription.findUniqueOrThrow({ where: { id: row.id } })).cancelAtPeriodEnd).toBe(false);
    const actions = await db().auditLog.findMany({ where: { targetId: row.id, actorId: admin.adminId }, select: { action: true } });
    expect(actions.map((a) => a.action).sort()).toEqual(['subscription.cancel_requested', 'subscription.resumed']);
  });

  it('Extend moves the next billing date through Stripe (trial_end, no proration); the webhook confirms it', async () => {
    const { sub, row, stripeSubscriptionId } = await stripeSubscriber('extend');
    const before = await stack.stripe.subscriptions.retrieve(stripeSubscriptionId);
    const oldEnd = before.items.data[0]!.current_period_end;
    const extended = await extendSubscription(deps(), admin, { subscriptionId: row.id, days: 10, reason: 'outage credit' });
    expect(Date.parse(extended.currentPeriodEnd) / 1000).toBe(oldEnd + 10 * DAY);
    const after = await stack.stripe.subscriptions.retrieve(stripeSubscriptionId);
    expect(after).toMatchObject({ status: 'trialing', trial_end: oldEnd + 10 * DAY });
    expect((await stack.stripe.invoices.list({ subscription: stripeSubscriptionId })).data).toHaveLength(1); // nothing billed or prorated
    await waitFor(
      async () =>
        (await db().stripeEvent.count({ where: { objectId: stripeSubscriptionId, type: 'customer.subscription.updated', status: 'PROCESSED' } })) > 0 || null,
      {
        what: 'the customer.subscription.updated webhook to be applied',
      },
    );
    await settle(stack);
    const confirmed = await db().subscription.findUniqueOrThrow({ where: { id: row.id } });
    expect(confirmed.currentPeriodEnd.getTime() / 1000).toBe(oldEnd + 10 * DAY);
    expect((await sub.eligibility()).base).toMatchObject({ plan: { slug: 'pro' }, currentPeriodEnd: new Date((oldEnd + 10 * DAY) * 1000).toISOString() });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'subscription.extended', targetId: row.id } });
    expect(audit).toMatchObject({ actorType: 'ADMIN', actorId: admin.adminId, details: expect.objectContaining({ days: 10, reason: 'outage credit' }) });

    await expect(extendSubscription(deps(), admin, { subscriptionId: row.id, days: 800, reason: 'too far' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('Refund from the form takes the Stripe invoice id and an amount in major units; pending until charge.refunded', async () => {
    const { row } = await stripeSubscriber('refund-form');
    const invoice = await db().invoice.findFirstOrThrow({ where: { subscriptionId: row.id } });
    const { refund } = await refundInvoiceFromForm(deps(), admin, { invoiceId: invoice.stripeInvoiceId!, amount: '100.50', reason: 'partial' });
    expect(refund).toMatchObject({ invoiceId: invoice.id, amount: 10_050, status: 'PENDING' });
    await waitFor(async () => (await db().refund.findUniqueOrThrow({ where: { id: refund.id } })).status === 'SUCCEEDED' || null, {
      what: 'charge.refunded to confirm the refund',
    });
  });
});
