import { metricsLog, metricsRevenue, type Tx } from '@aquoris/db';
import type { Currency } from '../money.ts';
import { diffCustomer, emptyDailyRow, type CustomerChange } from './changes.ts';
import { COUNTED_STATUSES, customerFigures, type Figures } from './definitions.ts';

// Keeping the Dashboard's rollups right in the transaction of the change (docs/metrics.md). Every write path
// that changes a subscription's status or plan calls recordCustomerMetrics; every path that changes an invoice's
// payment or a refund calls recordInvoiceRevenue. Both compare what was counted with what the rows say now and
// write only the difference, so calling one twice, or for a change that moves nothing, adds nothing.

type Stored = Figures & { everPaid: boolean };

type CustomerRef = { appId: string; customerId: string };

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

/**
 * Brings the customers' MRR and subscription counts in the rollup to what their subscriptions say now, as a
 * change at `at` (the clock's now), and returns how many customers changed. Runs in the caller's transaction,
 * after its subscription writes. With `backfill` (the rebuild), a customer the log has never seen is recorded as
 * of its oldest current subscription's creation, so a bulk import gets a history.
 */
export async function reconcileCustomers(tx: Tx, customers: readonly CustomerRef[], at: Date, options: { backfill?: boolean } = {}): Promise<number> {
  if (customers.length === 0) return 0;
  await metricsLog.lockCustomers(tx, customers);
  const ids = [...new Set(customers.map((c) => c.customerId))];
  const subs = groupBy(await metricsLog.listSubscriptionFigures(tx, ids), (s) => s.customerId);
  const states = groupBy(await metricsLog.listCustomerStates(tx, ids), (s) => s.customerId);
  const firstAt = options.backfill
    ? new Map((await metricsLog.listFirstSubscriptionTimes(tx, ids, COUNTED_STATUSES)).map((r) => [r.customerId, r.firstAt]))
    : new Map<string, Date>();
  const all: CustomerChange = { events: [], states: [], daily: [] };
  let changed = 0;
  for (const customer of new Map(customers.map((c) => [c.customerId, c])).values()) {
    const stored = states.get(customer.customerId) ?? [];
    const since = stored.length === 0 ? firstAt.get(customer.customerId) : undefined;
    const when = since && since < at ? since : at;
    const change = diffCustomer(customer, storedByCurrency(stored), customerFigures(subs.get(customer.customerId) ?? []), when);
    if (change.events.length === 0) continue;
    changed += 1;
    all.events.push(...change.events);
    all.states.push(...change.states);
    all.daily.push(...change.daily);
  }
  if (changed > 0) {
    await metricsLog.insertEvents(tx, all.events);
    await metricsLog.saveCustomerStates(tx, all.states);
    await metricsLog.addToDaily(tx, all.daily);
  }
  return changed;
}

/** A customer's stored figures by currency. */
function storedByCurrency(rows: readonly metricsLog.CustomerStateRow[]): Map<Currency, Stored> {
  return new Map(rows.map((r) => [r.currency, { mrr: r.mrr, active: r.active, pastDue: r.pastDue, trialing: r.trialing, everPaid: r.everPaid }]));
}

/** After a change of one of the customer's subscriptions: see reconcileCustomers. */
export async function recordCustomerMetrics(tx: Tx, customer: CustomerRef, at: Date): Promise<void> {
  await reconcileCustomers(tx, [customer], at);
}

/** The same for the customers of several subscriptions at once (e.g. those a bulk expiry ended). */
export async function recordCustomersMetrics(tx: Tx, customers: readonly CustomerRef[], at: Date): Promise<void> {
  await reconcileCustomers(tx, customers, at);
}

const entryKey = (e: Pick<metricsRevenue.RevenueEntryRow, 'day' | 'currency' | 'appId'>) => `${e.appId}|${e.currency}|${e.day.toISOString()}`;

/**
 * Brings the invoice's revenue (its gross and each of its refunds) in the rollup to what the invoice and its
 * refunds say now. Runs in the caller's transaction, after its invoice or refund writes.
 */
export async function recordInvoiceRevenue(tx: Tx, invoice: { id: string; appId: string }): Promise<void> {
  await metricsLog.lockAppShared(tx, invoice.appId);
  const current = await metricsRevenue.listCurrentForInvoice(tx, invoice.id);
  const recorded = await metricsRevenue.listRecordedForInvoice(tx, invoice.id);
  const daily = new Map<string, metricsLog.DailyIncrement>();
  const add = (entry: metricsRevenue.RevenueEntryRow, sign: 1 | -1) => {
    const key = entryKey(entry);
    const row = daily.get(key) ?? emptyDailyRow(entry.appId, entry.day, entry.currency);
    row.gross += sign * entry.gross;
    row.refunds += sign * entry.refunds;
    daily.set(key, row);
  };
  const before = new Map(recorded.map((e) => [e.sourceId, e]));
  const changed = current.filter((e) => {
    const was = before.get(e.sourceId);
    return !was || was.gross !== e.gross || was.refunds !== e.refunds || was.day.getTime() !== e.day.getTime();
  });
  const gone = recorded.filter((e) => !current.some((c) => c.sourceId === e.sourceId));
  for (const e of changed) {
    const was = before.get(e.sourceId);
    if (was) add(was, -1);
    add(e, 1);
  }
  for (const e of gone) add(e, -1);
  if (changed.length === 0 && gone.length === 0) return;
  await metricsRevenue.saveEntries(tx, changed);
  await metricsRevenue.deleteEntries(
    tx,
    gone.map((e) => e.sourceId),
  );
  await metricsLog.addToDaily(
    tx,
    [...daily.values()].filter((r) => r.gross !== 0 || r.refunds !== 0),
  );
}
