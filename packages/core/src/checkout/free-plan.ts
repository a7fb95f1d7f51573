import { locks, subscriptions } from '@aquoris/db';
import type { SubscriberActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { recordCustomerMetrics } from '../metrics/record.ts';
import { findCurrentBase, toBillingSubscription } from '../billing/service.ts';
import type { CheckoutResult } from '../billing/schemas.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { PlanRow } from '../plans/service.ts';
import { openEndedPeriodEnd } from '../subscriptions/free.ts';

/**
 * A free plan (priceAmount 0) never touches Stripe. Its subscription is a
 * MANUAL one, ACTIVE and open-ended (the period ends FREE_PLAN_YEARS ahead, so
 * the expiry job never lapses it; see isOpenEndedFreePlan). It is refused while
 * another base subscription is current (cancel the paid one instead), and it is
 * ended when the customer buys a paid plan or is granted one.
 */
export async function activateFreePlan(deps: Deps, actor: SubscriberActor, plan: PlanRow): Promise<Extract<CheckoutResult, { kind: 'activated' }>> {
  return deps.db.transaction(async (tx) => {
    await locks.lockKey(tx, `checkout:${actor.customerId}`);
    const current = await findCurrentBase(deps, tx, actor);
    if (current?.planId === plan.id) return { kind: 'activated', subscription: toBillingSubscription(current) };
    if (current) {
      const userMessage = `You already have the ${current.plan.name} plan: cancel it to move to ${plan.name} at the end of the period.`;
      throw new AppError('ALREADY_SUBSCRIBED', `The customer has a current ${current.plan.slug} subscription; a free plan needs none`, { userMessage });
    }
    const now = deps.clock.now();
    const end = openEndedPeriodEnd(now);
    const inserted = await subscriptions.insert(tx, {
      appId: actor.appId,
      customerId: actor.customerId,
      planId: plan.id,
      billingInterval: plan.interval,
      status: 'ACTIVE',
      source: 'MANUAL',
      kind: 'BASE',
      currentPeriodStart: now,
      currentPeriodEnd: end,
    });
    await recordCustomerMetrics(tx, inserted, now);
    const row = { ...inserted, plan };
    await recordAudit(tx, actor, { action: 'subscription.free_activated', targetType: 'subscription', targetId: row.id, details: { plan: plan.slug } });
    return { kind: 'activated', subscription: toBillingSubscription(row) };
  });
}
