import { createPlanWithStripePrice } from '@aquoris/core';
import { describe, expect, it } from 'vitest';
import { TEST_ACTOR } from '../testing/index.ts';
import { type Catalog, settle, subscribe, useStripeCatalog } from '../testing/catalog.ts';
import { type StripeTestStack, type Subscriber } from '../testing/stripe.ts';

let stack: StripeTestStack;
let catalog: Catalog;
useStripeCatalog((s, c) => ((stack = s), (catalog = c)));

const DAY = 86_400;
const db = () => stack.api.prisma;

/** Subscriber sessions last 2 hours: after a clock jump the subscriber opens billing again. */
const reopen = (sub: Subscriber) => stack.subscriber(catalog.app, sub.externalUserId);

async function stripeCustomerOf(sub: Subscriber) {
  return (await db().customer.findUniqueOrThrow({ where: { id: sub.customerId } })).stripeCustomerId!;
}

async function stripePeriodEnd(stripeSubscriptionId: string) {
  return (await stack.stripe.subscriptions.retrieve(stripeSubscriptionId)).items.data[0]!.current_period_end;
}

async function periodEnd(stripeSubscriptionId: string) {
  return new Date((await stripePeriodEnd(stripeSubscriptionId)) * 1000).toISOString();
}

/**
 * Moves both clocks to a minute past `at` (unix seconds read from Stripe: a period end, a retry).
 * A fixed jump would not do: the tests share one clock, and in a short month a 32-day jump also
 * runs the retry due at period end + 3 days.
 */
async function advancePast(at: number) {
  await stack.advanceClock(Math.max(0, at + 60 - stack.emulator.ctx.clock.now()));
}

describe('subscription lifecycle', () => {
  it('renewal: invoice.paid and the new period', async () => {
    const sub = await stack.subscriber(catalog.app, 'renews');
    const { eligibility, stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
    const firstEnd = eligibility.base.currentPeriodEnd;
    await advancePast(await stripePeriodEnd(stripeSubscriptionId));
    await settle(stack);
    const renewed = await sub.eligibility();
    expect(renewed.base).toMatchObject({ status: 'ACTIVE', source: 'CHECKOUT' });
    expect(renewed.base.currentPeriodEnd > firstEnd).toBe(true);
    expect(renewed.base.currentPeriodEnd).toBe(await periodEnd(stripeSubscriptionId));
    const invoices = (await (await reopen(sub)).query('billing.invoices')).invoices;
    expect(invoices.map((i: any) => i.status)).toEqual(['PAID', 'PAID']);
    expect(invoices[0].createdAt > invoices[1].createdAt).toBe(true);
  });

  it('failed renewal → PAST_DUE (still current) → recovery on the retry', async () => {
    const sub = await stack.subscriber(catalog.app, 'declines');
    const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
    await stack.control('POST', `/customers/${await stripeCustomerOf(sub)}/fail_next_charge`, { times: 1 });
    await advancePast(await stripePeriodEnd(stripeSubscriptionId));
    await settle(stack);
    expect((await sub.eligibility()).base).toMatchObject({ status: 'PAST_DUE', plan: { slug: 'pro' } });
    const open = await db().invoice.findMany({ where: { customerId: sub.customerId, status: 'OPEN' } });
    expect(open).toHaveLength(1);
    const retryAt = (await stack.stripe.invoices.retrieve(open[0]!.stripeInvoiceId!)).next_payment_attempt;
    expect(retryAt).not.toBeNull();
    await advancePast(retryAt!);
    await settle(stack);
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', currentPeriodEnd: await periodEnd(stripeSubscriptionId) });
    expect(await db().invoice.count({ where: { customerId: sub.customerId, status: 'OPEN' } })).toBe(0);
  });

  it('cancel at period end: still returned with cancelAtPeriodEnd, resumable, then gone at period end', async () => {
    const sub = await stack.subscriber(catalog.app, 'leaves');
    const { stripeSubscriptionId } = await subscribe(stack, sub, 'pro');
    const canceled = await sub.mutate('billing.subscription.cancel');
    expect(canceled).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true }); // in our database at once
    expect((await sub.eligibility()).base).toMatchObject({ status: 'ACTIVE', cancelAtPeriodEnd: true });
    expect((await stack.stripe.subscriptions.retrieve(stripeSubscriptionId)).cancel_at_period_end).toBe(true);
    expect(await sub.mutate('billing.subscription.resume')).toMatchObject({ cancelAtPeriodEnd: false });
    await sub.mutate('billing.subscription.cancel');
    await settle(stack); // the webhooks confirm, in any order, the last state
    expect((await sub.eligibility()).base).toMatchObject({ cancelAtPeriodEnd: true });
    await advancePast(await stripePeriodEnd(stripeSubscriptionId));
    await settle(stack);
    expect(await sub.eligibility()).toEqual({ base: null, addons: [] });
    const row = await db().subscription.findUniqueOrThrow({ where: { stripeSubscriptionId } });
    expect(row.status).toBe('CANCELED');
    expect(row.endedAt).not.toBeNull();
    expect((await (await reopen(sub)).query('billing.subscription.get')).subscription).toBeNull();
  });

  it('plan change: preview, then confirm charges what the preview said', async () => {
    await subscribe(stack, await stack.subscriber(catalog.app, 'upgrades'), 'pro');
    await stack.advanceClock(10 * DAY);
    const sub = await stack.subscriber(catalog.app, 'upgrades');
    const preview = await sub.query('billing.planChange.preview', { planSlug: 'team' });
    expect(preview).toMatchObject({ fromPlan: { slug: 'pro' }, toPlan: { slug: 'team', priceAmount: 99900 }, direction: 'upgrade', currency: 'thb' });
    expect(preview.amountDueNow).toBeGreaterThan(0);
    expect(preview.amountDueNow).toBeLessThan(99900 - 29900);
    expect(preview.lines.map((l: { kind: string; planName: string }) => [l.kind, l.planName])).toEqual([
      ['unused', 'PRO'],
      ['remaining', 'Team'],
    ]);
    expect(preview.startsNewPeriod).toBe(false);
    const changed = await sub.mutate('billing.planChange.confirm', { planSlug: 'team', prorationDate: preview.prorationDate });
    expect(changed).toMatchObject({ plan: { slug: 'team' }, status: 'ACTIVE' });
    expect((await sub.eligibility()).base.plan.slug).toBe('team');
    await settle(stack);
    const invoices = (await sub.query('billing.invoices')).invoices;
    expect(invoices[0]).toMatchObject({ status: 'PAID', amount: preview.amountDueNow });
    // Each invoice keeps what it billed, even though the subscription's plan has changed since.
    expect(invoices.map((i: { description: string }) => i.description)).toEqual(['Plan change to Team', 'PRO']);
    expect(Date.parse(invoices[1].periodEnd) - Date.parse(invoices[1].periodStart)).toBeGreaterThan(27 * DAY * 1000);
    const down = await sub.query('billing.planChange.preview', { planSlug: 'pro' });
    expect(down).toMatchObject({ direction: 'downgrade', amountDueNow: 0 });
    await expect(sub.mutate('billing.planChange.confirm', { planSlug: 'pro', prorationDate: down.prorationDate - 3 * 3600 })).rejects.toMatchObject({
      appCode: 'VALIDATION_ERROR',
    });
    await expect(sub.query('billing.planChange.preview', { planSlug: 'team' })).rejects.toMatchObject({ appCode: 'VALIDATION_ERROR' });
  });

  it('plan change to yearly: a new yearly period, lines as data (no Stripe wording), renewal a year on', async () => {
    const deps = stack.api.server.deps;
    await createPlanWithStripePrice(deps, TEST_ACTOR, { slug: 'pro-yearly', name: 'PRO (yearly)', priceAmount: 299000, currency: 'thb', interval: 'year' });
    const sub = await stack.subscriber(catalog.app, 'goes-yearly');
    await subscribe(stack, sub, 'pro');
    const preview = await sub.query('billing.planChange.preview', { planSlug: 'pro-yearly' });
    expect(preview.startsNewPeriod).toBe(true);
    const period = preview.lines.find((l: { kind: string }) => l.kind === 'period');
    expect(period).toMatchObject({ planName: 'PRO (yearly)', amount: 299000 });
    expect(Date.parse(period.periodEnd) - Date.parse(period.periodStart)).toBeGreaterThan(364 * DAY * 1000);
    expect(JSON.stringify(preview.lines)).not.toMatch(/×|THB|description/);
    expect(Date.parse(preview.nextRenewalAt) - preview.prorationDate * 1000).toBeGreaterThan(364 * DAY * 1000);
  });

  it('a declined card rejects the plan change and changes nothing', async () => {
    const sub = await stack.subscriber(catalog.app, 'broke');
    await subscribe(stack, sub, 'pro');
    await stack.control('POST', `/customers/${await stripeCustomerOf(sub)}/fail_next_charge`, { times: 1 });
    const preview = await sub.query('billing.planChange.preview', { planSlug: 'team' });
    await expect(sub.mutate('billing.planChange.confirm', { planSlug: 'team', prorationDate: preview.prorationDate })).rejects.toMatchObject({
      appCode: 'PAYMENT_DECLINED',
      httpStatus: 402,
    });
    expect((await sub.eligibility()).base.plan.slug).toBe('pro');
  });

  it('a trial plan starts TRIALING with its trial end', async () => {
    const sub = await stack.subscriber(catalog.app, 'tries');
    const { eligibility } = await subscribe(stack, sub, 'trial');
    expect(eligibility.base).toMatchObject({ status: 'TRIALING', source: 'CHECKOUT' });
    const current = await sub.query('billing.subscription.get');
    expect(Date.parse(current.subscription.trialEnd) - stack.clock.now().getTime()).toBeGreaterThan(6 * DAY * 1000);
  });
});
