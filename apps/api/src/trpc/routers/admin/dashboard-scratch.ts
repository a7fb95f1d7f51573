import type { TestApi } from '../../../testing/index.ts';

// The Dashboard's definitions (docs/metrics.md) computed again from scratch, independently of core's
// implementation: from the base tables for what they hold (current MRR and counts, revenue), and from the
// MRR change log for history. The randomized test compares every rolled-up figure with these.

type Prisma = TestApi['prisma'];
type Currency = 'thb' | 'usd';

export async function currentFromScratch(prisma: Prisma, appId?: string) {
  const subs = await prisma.subscription.findMany({ include: { plan: true }, ...(appId ? { where: { appId } } : {}) });
  const mrr: Record<Currency, number> = { thb: 0, usd: 0 };
  const perCustomer = new Map<string, number>();
  const counts = { active: 0, pastDue: 0, trialing: 0 };
  for (const s of subs) {
    const monthly = s.plan.interval === 'year' ? Math.round(s.plan.priceAmount / 12) : s.plan.priceAmount;
    const counted = s.status === 'ACTIVE' || s.status === 'PAST_DUE' ? monthly : 0;
    mrr[s.plan.currency] += counted;
    const key = `${s.customerId}|${s.plan.currency}`;
    perCustomer.set(key, (perCustomer.get(key) ?? 0) + counted);
    if (s.status === 'ACTIVE') counts.active++;
    if (s.status === 'PAST_DUE') counts.pastDue++;
    if (s.status === 'TRIALING') counts.trialing++;
  }
  return { mrr, perCustomer, counts };
}

export async function revenueFromScratch(prisma: Prisma, start: Date, end: Date) {
  const out: Record<Currency, { gross: number; refunds: number }> = { thb: { gross: 0, refunds: 0 }, usd: { gross: 0, refunds: 0 } };
  for (const i of await prisma.invoice.findMany({ where: { status: 'PAID', paidAt: { gte: start, lt: end } } })) out[i.currency].gross += i.amountPaid;
  for (const r of await prisma.refund.findMany({ where: { status: 'SUCCEEDED', createdAt: { gte: start, lt: end } }, include: { invoice: true } }))
    out[r.invoice.currency].refunds += r.amount;
  return out;
}

/** The change log, checked as a history: each row starts where the customer's previous one in its currency ended. */
export async function historyFromLog(prisma: Prisma) {
  const events = await prisma.mrrEvent.findMany({ orderBy: { id: 'asc' } });
  const last = new Map<string, number>();
  const broken: string[] = [];
  for (const e of events) {
    const key = `${e.customerId}|${e.currency}`;
    if ((last.get(key) ?? 0) !== e.mrrBefore) broken.push(`${key}: ${last.get(key) ?? 0} then ${e.mrrBefore}`);
    last.set(key, e.mrrAfter);
  }
  /** MRR per currency from the rows before `bound` (each row moves it by after − before). */
  const mrrBefore = (bound: Date) => {
    const mrr: Record<Currency, number> = { thb: 0, usd: 0 };
    for (const e of events) if (e.occurredAt < bound) mrr[e.currency] += e.mrrAfter - e.mrrBefore;
    return mrr;
  };
  /** Churn by the definition over [from, to): each customer's paying state, all currencies together. */
  const churn = (from: Date, to: Date) => {
    const mrr = new Map<string, Map<string, number>>();
    const paying = (customerId: string) => [...(mrr.get(customerId)?.values() ?? [])].some((v) => v > 0);
    const apply = (e: (typeof events)[number]) => mrr.set(e.customerId, (mrr.get(e.customerId) ?? new Map()).set(e.currency, e.mrrAfter));
    for (const e of events) if (e.occurredAt < from) apply(e);
    const payingAtStart = [...mrr.keys()].filter(paying).length;
    let churned = 0;
    let newPaying = 0;
    for (const e of events) {
      if (e.occurredAt < from || e.occurredAt >= to) continue;
      const was = paying(e.customerId);
      apply(e);
      const now = paying(e.customerId);
      if (was && !now) churned++;
      if (!was && now) newPaying++;
    }
    return { payingAtStart, churned, newPaying };
  };
  return { events, last, broken, mrrBefore, churn };
}
