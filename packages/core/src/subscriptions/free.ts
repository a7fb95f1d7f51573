import type { Actor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Tx } from '../locks.ts';

/** What a free-plan subscription is, as checkout/free-plan.ts makes them: a MANUAL subscription to a price-0 plan. */
export function isFreePlanSubscription(row: { source: string; plan: { priceAmount: number } }): boolean {
  return row.source === 'MANUAL' && row.plan.priceAmount === 0;
}

/** Ends the customer's current free-plan subscriptions (see isFreePlanSubscription; a paid plan replaces them). */
export async function endFreeSubscriptions(tx: Tx, actor: Actor, customerId: string, now: Date, exceptId?: string): Promise<number> {
  const rows = await tx.subscription.findMany({
    where: { customerId, kind: 'BASE', source: 'MANUAL', status: 'ACTIVE', plan: { priceAmount: 0 }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  for (const row of rows) {
    await tx.subscription.update({ where: { id: row.id }, data: { status: 'CANCELED', canceledAt: now, endedAt: now } });
    await recordAudit(tx, actor, { action: 'subscription.free_replaced', targetType: 'subscription', targetId: row.id });
  }
  return rows.length;
}
