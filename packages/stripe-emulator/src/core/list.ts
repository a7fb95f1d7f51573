import type Stripe from 'stripe';
import { invalidRequest } from './errors.ts';
import type { Params } from './params.ts';

/** Cursor pagination over an already filtered, newest-first array, exactly as Stripe's list endpoints page. */
export function paginate<T extends { id: string }>(items: T[], params: Params, url: string): Stripe.ApiList<T> {
  const limit = params.int('limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest('Invalid limit: must be between 1 and 100', 'limit');
  }
  const startingAfter = params.string('starting_after');
  const endingBefore = params.string('ending_before');
  let window = items;
  if (startingAfter) {
    window = items.slice(cursorIndex(items, startingAfter, 'starting_after') + 1);
  } else if (endingBefore) {
    const end = cursorIndex(items, endingBefore, 'ending_before');
    window = items.slice(Math.max(0, end - limit), end);
    return { object: 'list', data: window, has_more: end - limit > 0, url };
  }
  return { object: 'list', data: window.slice(0, limit), has_more: window.length > limit, url };
}

function cursorIndex(items: Array<{ id: string }>, id: string, param: string): number {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) throw invalidRequest(`No such object: '${id}'`, param, 'resource_missing');
  return index;
}

/** `created[gte]=...` style filters (or a bare `created=<ts>` for equality). */
export function matchesCreated(created: number, params: Params, key = 'created'): boolean {
  if (!params.has(key)) return true;
  const exact = typeof params.raw[key] === 'string' ? params.int(key) : undefined;
  if (exact !== undefined) return created === exact;
  const range = params.object(key);
  if (!range) return true;
  const gte = range.int('gte');
  const gt = range.int('gt');
  const lte = range.int('lte');
  const lt = range.int('lt');
  return (
    (gte === undefined || created >= gte) && (gt === undefined || created > gt) && (lte === undefined || created <= lte) && (lt === undefined || created < lt)
  );
}
