import type { Currency } from '../money.ts';

// The rules of docs/metrics.md for one customer: what each of its subscriptions adds to MRR and to the
// subscription counts, and how a change of those figures is classified. Pure functions: the change log
// (record.ts) and the rebuild (rebuild.ts) both use them, so a rule is written once.

type SubscriptionStatus = 'ACTIVE' | 'PAST_DUE' | 'CANCELED' | 'INCOMPLETE' | 'TRIALING' | 'UNPAID' | 'PAUSED' | 'EXPIRED';

/** The statuses that count for MRR. A subscription set to cancel at period end keeps its status until it ends. */
export const MRR_STATUSES: readonly SubscriptionStatus[] = ['ACTIVE', 'PAST_DUE'];

/** The statuses the Active subscriptions card counts. */
export const COUNTED_STATUSES: readonly SubscriptionStatus[] = ['ACTIVE', 'PAST_DUE', 'TRIALING'];

export interface SubscriptionFigureInput {
  status: SubscriptionStatus;
  priceAmount: number;
  interval: 'month' | 'year';
  currency: Currency;
}

/** The plan price normalised to a month, in minor units: yearly ÷ 12, rounded to the nearest unit per subscription. */
export function monthlyAmount(plan: Pick<SubscriptionFigureInput, 'priceAmount' | 'interval'>): number {
  return plan.interval === 'year' ? Math.round(plan.priceAmount / 12) : plan.priceAmount;
}

/** What one subscription adds to MRR: its monthly amount in ACTIVE or PAST_DUE (manual ones too), else 0. */
export function subscriptionMrr(sub: SubscriptionFigureInput): number {
  return MRR_STATUSES.includes(sub.status) ? monthlyAmount(sub) : 0;
}

/** A customer's figures in one currency. */
export interface Figures {
  mrr: number;
  active: number;
  pastDue: number;
  trialing: number;
}

export const ZERO_FIGURES: Figures = { mrr: 0, active: 0, pastDue: 0, trialing: 0 };

/** A customer's figures per currency (of its plans), from its subscriptions. Currencies with nothing are absent. */
export function customerFigures(subs: readonly SubscriptionFigureInput[]): Map<Currency, Figures> {
  const byCurrency = new Map<Currency, Figures>();
  for (const sub of subs) {
    const counted = COUNTED_STATUSES.includes(sub.status);
    const mrr = subscriptionMrr(sub);
    if (!counted && mrr === 0) continue;
    const f = byCurrency.get(sub.currency) ?? { ...ZERO_FIGURES };
    f.mrr += mrr;
    if (sub.status === 'ACTIVE') f.active += 1;
    if (sub.status === 'PAST_DUE') f.pastDue += 1;
    if (sub.status === 'TRIALING') f.trialing += 1;
    byCurrency.set(sub.currency, f);
  }
  return byCurrency;
}

export type MrrMovementKind = 'NEW' | 'EXPANSION' | 'CONTRACTION' | 'CHURN' | 'REACTIVATION';
export type SubscriberChange = 'NEW' | 'REACTIVATED' | 'CHURNED';

/**
 * A customer's MRR moving in one currency: from 0 it is new, or a reactivation when the customer paid in that
 * currency before; to 0 it is churn; otherwise an expansion or a contraction. Null when MRR did not move.
 */
export function classifyMrrMovement(before: number, after: number, everPaid: boolean): MrrMovementKind | null {
  if (before === after) return null;
  if (before === 0) return everPaid ? 'REACTIVATION' : 'NEW';
  if (after === 0) return 'CHURN';
  return after > before ? 'EXPANSION' : 'CONTRACTION';
}

/** The MRR amount a movement moves, as a positive number in its column (new, expansion, ...). */
export function movementAmount(kind: MrrMovementKind, before: number, after: number): number {
  if (kind === 'CHURN') return before;
  if (kind === 'NEW' || kind === 'REACTIVATION') return after;
  return Math.abs(after - before);
}

/**
 * A subscriber (a customer, all currencies together) pays while its MRR is above 0. It churns when that goes to
 * 0; a plan change, even into another currency, moves MRR between currencies and is never churn.
 */
export function classifySubscriberChange(payingBefore: boolean, payingAfter: boolean, everPaid: boolean): SubscriberChange | null {
  if (payingBefore === payingAfter) return null;
  if (payingAfter) return everPaid ? 'REACTIVATED' : 'NEW';
  return 'CHURNED';
}
