import { subscriptions, type SubscriptionRow } from '@aquoris/db';
import type { OperatorActor } from '../actors.ts';
import { recordAudit } from '../audit/service.ts';
import { applyStripeSubscriptionChange } from '../billing/manage.ts';
import { addDays, DAY_MS } from '../clock.ts';
import { getCustomerOrThrow } from '../customers/admin.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { invalidField, parseInput } from '../validation.ts';
import { toAdminSubscriptionView } from './admin.ts';
import { ExtendSubscriptionInput, GrantToCustomerInput, SubscriptionActionInput, type AdminSubscriptionView } from './admin-schemas.ts';
import { grantManualSubscription } from './service.ts';
import { stripeFor } from '../stripe-accounts/accounts.ts';

/** Stripe refuses a trial_end further out than this. */
const STRIPE_MAX_TRIAL_DAYS = 730;

async function viewOf(deps: Pick<Deps, 'db'>, id: string): Promise<AdminSubscriptionView> {
  const [row] = await subscriptions.listFilteredPage(deps.db.kysely, { id }, null, 1);
  if (!row) throw new AppError('SUBSCRIPTION_NOT_FOUND', 'Subscription not found');
  return toAdminSubscriptionView(row);
}

/** The subscription, if it is still running: not canceled or expired, and a local one not past its period end. */
async function runningSubscriptionOrThrow(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<SubscriptionRow> {
  const row = await subscriptions.findById(deps.db.kysely, id);
  if (!row) throw new AppError('SUBSCRIPTION_NOT_FOUND', 'Subscription not found');
  const lapsed = row.source !== 'CHECKOUT' && row.currentPeriodEnd <= deps.clock.now();
  if (row.status === 'CANCELED' || row.status === 'EXPIRED' || row.status === 'INCOMPLETE' || lapsed) {
    throw new AppError('SUBSCRIPTION_ENDED', `This subscription has ended (${lapsed ? 'period over' : row.status.toLowerCase()}); grant a new one instead`);
  }
  return row;
}

/** Stripe-backed subscriptions change through Stripe; manual and trial ones here. */
const stripeIdOf = (row: SubscriptionRow) => (row.source === 'CHECKOUT' ? row.stripeSubscriptionId : null);

async function setCancelAtPeriodEndAsOperator(deps: Deps, actor: OperatorActor, raw: unknown, cancel: boolean): Promise<AdminSubscriptionView> {
  const { subscriptionId } = parseInput(SubscriptionActionInput, raw);
  const row = await runningSubscriptionOrThrow(deps, subscriptionId);
  if (cancel && row.cancelAtPeriodEnd) throw new AppError('SUBSCRIPTION_ALREADY_CANCELING', 'This subscription already ends at its period end');
  if (!cancel && !row.cancelAtPeriodEnd) throw new AppError('SUBSCRIPTION_NOT_CANCELING', 'This subscription is not set to end: there is nothing to resume');
  const action = cancel ? 'subscription.cancel_requested' : 'subscription.resumed';
  const stripeId = stripeIdOf(row);
  if (stripeId) {
    const sdeps = await stripeFor(deps, row.appId);
    await applyStripeSubscriptionChange(sdeps, actor, stripeId, action, { stripeSubscriptionId: stripeId }, (sub) =>
      sdeps.stripe.subscriptions.update(sub.id, { cancel_at_period_end: cancel }),
    );
  } else {
    await deps.db.transaction(async (tx) => {
      await subscriptions.update(tx, row.id, { cancelAtPeriodEnd: cancel, canceledAt: cancel ? deps.clock.now() : null });
      await recordAudit(tx, actor, { action, targetType: 'subscription', targetId: row.id, details: { source: row.source } });
    });
  }
  return viewOf(deps, row.id);
}

/** "Cancel Sub": the subscription ends at its period end (Stripe ones through Stripe). */
export const cancelSubscriptionAtPeriodEnd = (deps: Deps, actor: OperatorActor, raw: SubscriptionActionInput) =>
  setCancelAtPeriodEndAsOperator(deps, actor, raw, true);

/** "Resume": undoes a cancellation while the period still runs. */
export const resumeSubscription = (deps: Deps, actor: OperatorActor, raw: SubscriptionActionInput) => setCancelAtPeriodEndAsOperator(deps, actor, raw, false);

/**
 * "Extend": adds days to the current period. A manual or trial subscription's period end moves
 * here; a Stripe subscription's next billing date moves through Stripe (trial_end, no proration),
 * mirrored at once and confirmed by the customer.subscription.updated webhook.
 */
export async function extendSubscription(deps: Deps, actor: OperatorActor, raw: ExtendSubscriptionInput): Promise<AdminSubscriptionView> {
  const input = parseInput(ExtendSubscriptionInput, raw);
  const row = await runningSubscriptionOrThrow(deps, input.subscriptionId);
  const stripeId = stripeIdOf(row);
  if (!stripeId) {
    const to = addDays(row.currentPeriodEnd, input.days);
    await deps.db.transaction(async (tx) => {
      await subscriptions.update(tx, row.id, { currentPeriodEnd: to });
      const details = { days: input.days, reason: input.reason, from: row.currentPeriodEnd.toISOString(), to: to.toISOString(), source: row.source };
      await recordAudit(tx, actor, { action: 'subscription.extended', targetType: 'subscription', targetId: row.id, details });
    });
    return viewOf(deps, row.id);
  }
  const sdeps = await stripeFor(deps, row.appId);
  const nowUnix = Math.floor(deps.clock.now().getTime() / 1000);
  let details: Record<string, unknown> = { days: input.days, reason: input.reason, stripeSubscriptionId: stripeId };
  await applyStripeSubscriptionChange(sdeps, actor, stripeId, 'subscription.extended', details, (sub) => {
    const currentEnd = sub.items.data[0]?.current_period_end ?? nowUnix;
    const trialEnd = currentEnd + input.days * (DAY_MS / 1000);
    if (trialEnd > nowUnix + STRIPE_MAX_TRIAL_DAYS * (DAY_MS / 1000)) {
      throw invalidField('days', `Stripe moves a next billing date at most ${STRIPE_MAX_TRIAL_DAYS} days ahead`);
    }
    details = Object.assign(details, { from: new Date(currentEnd * 1000).toISOString(), to: new Date(trialEnd * 1000).toISOString() });
    return sdeps.stripe.subscriptions.update(
      sub.id,
      { trial_end: trialEnd, proration_behavior: 'none' },
      { idempotencyKey: `aqb-extend-${sub.id}-${currentEnd}-${trialEnd}` },
    );
  });
  return viewOf(deps, row.id);
}

/** "Grant Subscription" on a customer's page: a MANUAL subscription of the plan for N days (a current grant of it is extended). */
export async function grantSubscriptionToCustomer(deps: Deps, actor: OperatorActor, raw: GrantToCustomerInput): Promise<AdminSubscriptionView> {
  const input = parseInput(GrantToCustomerInput, raw);
  const customer = await getCustomerOrThrow(deps, input.customerId);
  const granted = await grantManualSubscription(deps, actor, {
    appSlug: customer.appSlug,
    externalUserId: customer.externalUserId,
    planSlug: input.planSlug,
    days: input.days,
    reason: input.reason,
  });
  return viewOf(deps, granted.id);
}
