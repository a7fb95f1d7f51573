import type Stripe from 'stripe';
import { planFromPrice } from '../builders/catalog.ts';
import { buildSubscriptionItem } from '../builders/subscription.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest, missingParam } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { formatDate } from '../core/money.ts';
import type { Params } from '../core/params.ts';
import type { PendingLine } from '../core/store.ts';
import { productName } from './invoices.ts';
import { periodEndAfter } from './periods.ts';
import { currentPeriod } from './subscription-lifecycle.ts';

export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';
export const PRORATION_BEHAVIORS = ['create_prorations', 'always_invoice', 'none'] as const;

export interface ItemChange {
  id?: string;
  price?: string;
  quantity?: number;
  deleted: boolean;
  param: string;
}

export interface ChangeResult {
  credits: PendingLine[];
  debits: PendingLine[];
  /** The billing interval changed: Stripe restarts the period now and invoices immediately. */
  resetCycle: boolean;
}

export function parseItemChanges(params: Params, key = 'items'): ItemChange[] {
  return params.objects(key).map((item) => ({
    id: item.string('id'),
    price: item.string('price'),
    quantity: item.int('quantity'),
    deleted: item.bool('deleted') ?? false,
    param: item.path,
  }));
}

/**
 * Applies item changes to `sub` in place (previews pass a copy) and returns the proration lines:
 * a credit for the unused time on each old price/quantity and a debit for the remaining time on
 * the new one, prorated to the second like Stripe.
 */
export function applyItemChanges(
  ctx: Ctx,
  sub: Stripe.Subscription,
  changes: ItemChange[],
  options: { prorate: boolean; prorationDate: number },
): ChangeResult {
  const period = currentPeriod(sub);
  const before = intervalKey(sub.items.data[0]?.price);
  const fraction = Math.min(1, Math.max(0, (period.end - options.prorationDate) / Math.max(1, period.end - period.start)));
  const result: ChangeResult = { credits: [], debits: [], resetCycle: false };
  const prorate = (kind: 'credit' | 'debit', item: Stripe.SubscriptionItem, price: Stripe.Price, quantity: number) => {
    if (!options.prorate) return;
    const amount = Math.round((price.unit_amount ?? 0) * quantity * fraction);
    const what = quantity === 1 ? productName(ctx, price) : `${quantity} × ${productName(ctx, price)}`;
    const line: PendingLine = {
      id: newId('il'),
      amount: kind === 'credit' ? -amount : amount,
      description: `${kind === 'credit' ? 'Unused' : 'Remaining'} time on ${what} after ${formatDate(options.prorationDate)}`,
      price,
      quantity,
      subscriptionItem: item.id,
      period: { start: options.prorationDate, end: period.end },
    };
    (kind === 'credit' ? result.credits : result.debits).push(line);
  };
  for (const change of changes) {
    if (change.id) {
      const item = sub.items.data.find((i) => i.id === change.id);
      if (!item) throw invalidRequest(`No such subscription item: '${change.id}'`, `${change.param}[id]`, 'resource_missing');
      const quantity = item.quantity ?? 1;
      if (change.deleted) {
        prorate('credit', item, item.price, quantity);
        sub.items.data = sub.items.data.filter((i) => i !== item);
        continue;
      }
      const price = change.price ? recurringPrice(ctx, change.price, `${change.param}[price]`) : item.price;
      const newQuantity = change.quantity ?? quantity;
      if (price.id === item.price.id && newQuantity === quantity) continue;
      prorate('credit', item, item.price, quantity);
      prorate('debit', item, price, newQuantity);
      Object.assign(item, { price, plan: planFromPrice(price), quantity: newQuantity });
    } else {
      if (!change.price) throw missingParam(`${change.param}[price]`);
      const price = recurringPrice(ctx, change.price, `${change.param}[price]`);
      const item = buildSubscriptionItem({
        id: newId('si'),
        now: ctx.clock.now(),
        subscription: sub.id,
        price,
        quantity: change.quantity ?? 1,
        periodStart: period.start,
        periodEnd: period.end,
      });
      sub.items.data.push(item);
      prorate('debit', item, price, item.quantity ?? 1);
    }
  }
  validateItems(sub);
  result.resetCycle = intervalKey(sub.items.data[0]?.price) !== before;
  if (result.resetCycle) restartPeriod(sub, ctx.clock.now());
  return result;
}

function recurringPrice(ctx: Ctx, id: string, param: string): Stripe.Price {
  const price = ctx.store.prices.getOrThrow(id, param);
  if (!price.recurring)
    throw invalidRequest(`The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`, param);
  if (!price.active) throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, param);
  return price;
}

function validateItems(sub: Stripe.Subscription): void {
  if (sub.items.data.length === 0) throw invalidRequest('A subscription must have at least one active plan.', 'items');
  const keys = new Set(sub.items.data.map((i) => intervalKey(i.price)));
  const currencies = new Set(sub.items.data.map((i) => i.price.currency));
  if (keys.size > 1) throw invalidRequest('Currency and interval fields must match across all plans on this subscription.', 'items');
  if (currencies.size > 1 || !currencies.has(sub.currency))
    throw invalidRequest('Currency and interval fields must match across all plans on this subscription.', 'items');
}

function restartPeriod(sub: Stripe.Subscription, now: number): void {
  sub.billing_cycle_anchor = now;
  for (const item of sub.items.data) {
    item.current_period_start = now;
    item.current_period_end = periodEndAfter(now, item.price.recurring ?? { interval: 'month', interval_count: 1 }, now);
  }
}

function intervalKey(price: Stripe.Price | undefined): string {
  return price?.recurring ? `${price.recurring.interval_count}/${price.recurring.interval}` : 'none';
}
