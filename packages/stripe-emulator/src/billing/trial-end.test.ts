import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { subscribedQuietly } from '../testing/factories.ts';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

const DAY = 86_400;
const now = async () => (await h.control<{ now: number }>('GET', '/clock')).body.now;
const periodOf = (sub: Stripe.Subscription) => ({ start: sub.items.data[0]?.current_period_start, end: sub.items.data[0]?.current_period_end });

const subscribed = (options: Parameters<typeof subscribedQuietly>[1] = {}) => subscribedQuietly(h, options);

describe('trial_end on subscription update', () => {
  it('a future timestamp moves the next billing date: trialing until then, no proration, one updated event', async () => {
    const sub = await subscribed();
    const at = await now();
    const trialEnd = (periodOf(sub).end ?? 0) + 10 * DAY;
    const updated = await h.stripe.subscriptions.update(sub.id, { trial_end: trialEnd, proration_behavior: 'none' });
    expect(updated).toMatchObject({ status: 'trialing', trial_end: trialEnd, trial_start: at, billing_cycle_anchor: trialEnd });
    expect(periodOf(updated)).toEqual({ start: at, end: trialEnd });
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
    await h.flush();
    expect(h.receiver.types()).toEqual(['customer.subscription.updated']);
    const event = h.receiver.accepted()[0] as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(event.data.previous_attributes).toMatchObject({ status: 'active', trial_end: null });
    expect(event.data.previous_attributes?.items?.data[0]?.current_period_end).toBe(periodOf(sub).end);

    // At the new date the trial ends and the first period after it is billed.
    await h.control('POST', '/clock/advance', { seconds: trialEnd - at + 60 });
    const renewed = await h.stripe.subscriptions.retrieve(sub.id);
    expect(renewed.status).toBe('active');
    expect(periodOf(renewed).start).toBe(trialEnd);
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(2);
  });

  it('"now" ends a running trial at once and bills; on an active subscription it changes nothing', async () => {
    const sub = await subscribed({ trialDays: 14 });
    const at = await now();
    const ended = await h.stripe.subscriptions.update(sub.id, { trial_end: 'now' });
    expect(ended).toMatchObject({ status: 'active', trial_end: at });
    expect(periodOf(ended).start).toBe(at);
    expect((await h.stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(2);
    await h.flush();
    expect(h.receiver.types()).toContain('customer.subscription.updated');
    h.receiver.clear();
    await h.stripe.subscriptions.update(sub.id, { trial_end: 'now' });
    await h.flush();
    expect(h.receiver.types()).toEqual([]);
  });

  it('refuses a past or malformed timestamp, one beyond 730 days, prorating outside a trial, and a canceled subscription', async () => {
    const sub = await subscribed();
    const at = await now();
    await expect(h.stripe.subscriptions.update(sub.id, { trial_end: at - 1, proration_behavior: 'none' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'trial_end',
    });
    await expect(h.stripe.subscriptions.update(sub.id, { trial_end: at + 731 * DAY, proration_behavior: 'none' })).rejects.toMatchObject({
      statusCode: 400,
      param: 'trial_end',
    });
    await expect(h.stripe.subscriptions.update(sub.id, { trial_end: 'tomorrow' as 'now' })).rejects.toMatchObject({ statusCode: 400, param: 'trial_end' });
    await expect(h.stripe.subscriptions.update(sub.id, { trial_end: at + DAY })).rejects.toMatchObject({ statusCode: 400, param: 'proration_behavior' });
    expect((await h.stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
    await h.stripe.subscriptions.cancel(sub.id);
    await expect(h.stripe.subscriptions.update(sub.id, { trial_end: at + DAY, proration_behavior: 'none' })).rejects.toMatchObject({ statusCode: 400 });
  });
});
