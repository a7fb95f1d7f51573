import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { subscriptions, type Tx } from '@aquoris/db';
import { recordCustomerMetrics } from '../metrics/record.ts';

/**
 * A free plan the subscriber takes (checkout/free-plan.ts) has no end: its
 * period runs this many years, so the expiry job never lapses it.
 */
export const FREE_PLAN_YEARS = 100;

/** The period end of a free plan taken at `start`: far enough to mean "no end". */
export function openEndedPeriodEnd(start: Date): Date {
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + FREE_PLAN_YEARS);
  return end;
}

/**
 * What a free-plan subscription is: a MANUAL subscription to a price-0 plan,
 * taken by the subscriber or granted by an operator. Nothing is paid, and a
 * paid plan replaces it (checkout may buy one over it).
 */
export function isFreePlanSubscription(row: { source: string; plan: { priceAmount: number } }): boolean {
  return row.source === 'MANUAL' && row.plan.priceAmount === 0;
}

/**
 * A free plan with no end date: one the subscriber took (its period runs
 * FREE_PLAN_YEARS; a grant of the same plan only adds days to it). A free plan
 * granted for N days (subscriptions:grant) is free but not open-ended: it ends
 * on its period end, and lapses then like any manual grant.
 */
export function isOpenEndedFreePlan(row: { source: string; plan: { priceAmount: number }; currentPeriodStart: Date; currentPeriodEnd: Date }): boolean {
  return isFreePlanSubscription(row) && row.currentPeriodEnd >= openEndedPeriodEnd(row.currentPeriodStart);
}

/** Ends the customer's current free-plan subscriptions (see isFreePlanSubscription; a paid plan replaces them). */
export async function endFreeSubscriptions(tx: Tx, actor: Actor, customerId: string, now: Date, exceptId?: string): Promise<number> {
  const ids = await subscriptions.listActiveFreePlanIds(tx, customerId, exceptId);
  for (const id of ids) {
    const ended = await subscriptions.update(tx, id, { status: 'CANCELED', canceledAt: now, endedAt: now });
    await recordCustomerMetrics(tx, ended, now);
    await recordAudit(tx, actor, { action: 'subscription.free_replaced', targetType: 'subscription', targetId: id });
  }
  return ids.length;
}
