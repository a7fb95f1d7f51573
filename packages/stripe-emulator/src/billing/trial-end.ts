import type Stripe from 'stripe';
import { snapshot } from '../core/clone.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import type { Params } from '../core/params.ts';
import { SECONDS_PER_DAY } from './periods.ts';
import { rollSubscription } from './renewals.ts';

/** Stripe refuses a trial that ends more than two years from now. */
const MAX_TRIAL_SECONDS = 730 * SECONDS_PER_DAY;

/**
 * `trial_end` on POST /v1/subscriptions/:id, as Stripe takes it: a Unix timestamp in the future
 * puts the subscription in `trialing` until then (the current period runs from now, or from the
 * trial's start, to `trial_end`, which becomes the billing cycle anchor); `now` ends a running
 * trial at once and bills the first period (the renewal emits its own events, so nothing is
 * added to `previous` then).
 */
export function applyTrialEnd(ctx: Ctx, sub: Stripe.Subscription, params: Params, previous: Partial<Stripe.Subscription>): void {
  const raw = params.string('trial_end');
  if (raw === undefined || raw === '') return;
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.', 'trial_end');
  }
  const now = ctx.clock.now();
  if (raw === 'now') {
    if (sub.status !== 'trialing') return;
    sub.trial_end = now;
    for (const item of sub.items.data) item.current_period_end = now;
    sub.billing_cycle_anchor = now;
    rollSubscription(ctx, sub);
    return;
  }
  if (!/^\d+$/.test(raw)) throw invalidRequest(`Invalid timestamp: must be an integer Unix timestamp in the future, or \`now\`.`, 'trial_end');
  const trialEnd = Number(raw);
  if (trialEnd <= now) throw invalidRequest('Invalid timestamp: must be an integer Unix timestamp in the future.', 'trial_end');
  if (trialEnd > now + MAX_TRIAL_SECONDS) throw invalidRequest('Invalid timestamp: can be no more than 730 days in the future.', 'trial_end');
  const behavior = params.string('proration_behavior') ?? 'create_prorations';
  if (sub.status !== 'trialing' && behavior !== 'none') {
    // Stripe credits the unused time of the current period here; the emulator does not model that credit.
    throw invalidRequest('The emulator supports trial_end on a subscription outside its trial only with proration_behavior=none.', 'proration_behavior');
  }
  Object.assign(previous, {
    status: sub.status,
    trial_start: sub.trial_start,
    trial_end: sub.trial_end,
    billing_cycle_anchor: sub.billing_cycle_anchor,
    items: snapshot(sub.items),
  });
  const start = sub.status === 'trialing' && sub.trial_start !== null ? sub.trial_start : now;
  for (const item of sub.items.data) {
    item.current_period_start = start;
    item.current_period_end = trialEnd;
  }
  sub.trial_start = start;
  sub.trial_end = trialEnd;
  sub.billing_cycle_anchor = trialEnd;
  if (sub.cancel_at_period_end) sub.cancel_at = trialEnd;
  sub.status = 'trialing';
  ctx.store.trialWillEndSent.delete(sub.id);
}
