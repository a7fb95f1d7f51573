import type { metricsLog } from '@aquoris/db';
import { CURRENCIES, type Currency } from '../money.ts';
import { classifyMrrMovement, classifySubscriberChange, movementAmount, ZERO_FIGURES, type Figures } from './definitions.ts';
import { startOfUtcDay } from './periods.ts';

type StoredFigures = Figures & { everPaid: boolean };

/** What one change of a customer's figures writes: its change-log rows, its new stored figures, the daily rollup's increments. */
export interface CustomerChange {
  events: metricsLog.MrrEventInsert[];
  states: metricsLog.CustomerStateRow[];
  daily: metricsLog.DailyIncrement[];
}

const MOVEMENT_COLUMN = {
  NEW: 'newMrr',
  EXPANSION: 'expansionMrr',
  CONTRACTION: 'contractionMrr',
  CHURN: 'churnedMrr',
  REACTIVATION: 'reactivationMrr',
} as const;
const SUBSCRIBER_COLUMN = { NEW: 'newSubscribers', REACTIVATED: 'reactivatedSubscribers', CHURNED: 'churnedSubscribers' } as const;

/** The daily rollup's increment for one change-log row. */
export function dailyIncrementOf(event: metricsLog.MrrEventInsert): metricsLog.DailyIncrement {
  const increment: metricsLog.DailyIncrement = {
    ...emptyDailyRow(event.appId, startOfUtcDay(event.occurredAt), event.currency),
    activeDelta: event.activeDelta,
    pastDueDelta: event.pastDueDelta,
    trialingDelta: event.trialingDelta,
  };
  if (event.kind) increment[MOVEMENT_COLUMN[event.kind]] = movementAmount(event.kind, event.mrrBefore, event.mrrAfter);
  if (event.subscriberChange) increment[SUBSCRIBER_COLUMN[event.subscriberChange]] = 1;
  return increment;
}

/** A daily row with nothing in it. */
export function emptyDailyRow(appId: string, day: Date, currency: Currency): metricsLog.DailyIncrement {
  return {
    appId,
    day,
    currency,
    newMrr: 0,
    expansionMrr: 0,
    contractionMrr: 0,
    churnedMrr: 0,
    reactivationMrr: 0,
    activeDelta: 0,
    pastDueDelta: 0,
    trialingDelta: 0,
    newSubscribers: 0,
    reactivatedSubscribers: 0,
    churnedSubscribers: 0,
    gross: 0,
    refunds: 0,
  };
}

/**
 * Compares what a customer counted for (`stored`) with what its subscriptions say now (`current`) and returns
 * the difference as of `at`; no events when nothing moved. Currencies are handled in a fixed order.
 */
export function diffCustomer(
  who: { appId: string; customerId: string },
  stored: ReadonlyMap<Currency, StoredFigures>,
  current: ReadonlyMap<Currency, Figures>,
  at: Date,
): CustomerChange {
  const change: CustomerChange = { events: [], states: [], daily: [] };
  const owner = { appId: who.appId, customerId: who.customerId };
  const sum = (m: ReadonlyMap<Currency, Figures>) => [...m.values()].reduce((total, f) => total + f.mrr, 0);
  const everPaidAny = [...stored.values()].some((f) => f.everPaid);
  let subscriberChange = classifySubscriberChange(sum(stored) > 0, sum(current) > 0, everPaidAny);
  for (const currency of CURRENCIES) {
    const before = stored.get(currency);
    const after = current.get(currency) ?? ZERO_FIGURES;
    if (!before && !current.has(currency)) continue;
    const was = before ?? { ...ZERO_FIGURES, everPaid: false };
    const kind = classifyMrrMovement(was.mrr, after.mrr, was.everPaid);
    const deltas = { activeDelta: after.active - was.active, pastDueDelta: after.pastDue - was.pastDue, trialingDelta: after.trialing - was.trialing };
    const everPaid = was.everPaid || after.mrr > 0;
    if (kind === null && deltas.activeDelta === 0 && deltas.pastDueDelta === 0 && deltas.trialingDelta === 0) continue;
    const event: metricsLog.MrrEventInsert = {
      ...owner,
      currency,
      occurredAt: at,
      mrrBefore: was.mrr,
      mrrAfter: after.mrr,
      kind,
      ...deltas,
      // The subscriber's change goes on the row whose MRR moved first.
      subscriberChange: kind !== null ? subscriberChange : null,
    };
    if (kind !== null) subscriberChange = null;
    change.events.push(event);
    change.daily.push(dailyIncrementOf(event));
    change.states.push({ ...owner, currency, mrr: after.mrr, active: after.active, pastDue: after.pastDue, trialing: after.trialing, everPaid });
  }
  return change;
}
