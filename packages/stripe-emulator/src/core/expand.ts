import type Stripe from 'stripe';
import { snapshot } from './clone.ts';
import { invalidRequest } from './errors.ts';
import type { Store } from './store.ts';

type Json = Record<string, unknown>;

/**
 * expand[] support. Any field holding an id is expanded by looking the id up in the store; a few
 * fields are "includable" lists that Stripe only returns on request (checkout session line_items,
 * invoice payments) and are built here. Paths nest (`latest_invoice.payments`, `data.customer`).
 */
export function applyExpand<T>(store: Store, object: T, paths: string[]): T {
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.length > 4) throw invalidRequest(`You cannot expand more than 4 levels of a property (${path}).`, 'expand');
    expandPath(store, object as unknown, segments, path);
  }
  return object;
}

function expandPath(store: Store, target: unknown, segments: string[], path: string): void {
  if (!isObject(target) || segments.length === 0) return;
  const [field, ...rest] = segments as [string, ...string[]];
  if (target.object === 'list' && field === 'data' && Array.isArray(target.data)) {
    for (const item of target.data) expandPath(store, item, rest, path);
    return;
  }
  const included = includable(store, target, field);
  if (included !== undefined) {
    target[field] = included;
  } else if (typeof target[field] === 'string') {
    target[field] = resolveId(store, target[field]);
  } else if (Array.isArray(target[field])) {
    target[field] = (target[field] as unknown[]).map((v) => (typeof v === 'string' ? resolveId(store, v) : v));
  } else if (!(field in target)) {
    throw invalidRequest(`This property cannot be expanded (${path}).`, 'expand');
  }
  const next = target[field];
  if (Array.isArray(next)) for (const item of next) expandPath(store, item, rest, path);
  else expandPath(store, next, rest, path);
}

function resolveId(store: Store, id: string): unknown {
  if (store.deletedCustomers.has(id)) return { id, object: 'customer', deleted: true };
  const found = store.findById(id);
  return found ? snapshot(found) : id;
}

function includable(store: Store, target: Json, field: string): unknown {
  const id = String(target.id);
  if (target.object === 'checkout.session' && field === 'line_items') {
    return listOf(snapshot(store.sessionLineItems.get(id) ?? []), `/v1/checkout/sessions/${id}/line_items`);
  }
  if (target.object === 'invoice' && field === 'payments') {
    const payments = store.invoicePayments.newestFirst().filter((p) => p.invoice === id);
    return listOf(snapshot(payments), `/v1/invoices/${id}/payments`);
  }
  if (target.object === 'charge' && field === 'refunds') {
    return listOf(snapshot(store.refunds.newestFirst().filter((r) => r.charge === id)), `/v1/charges/${id}/refunds`);
  }
  return undefined;
}

export function listOf<T>(data: T[], url: string): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: false, url };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null;
}
