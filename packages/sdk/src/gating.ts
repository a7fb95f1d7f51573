/**
 * Feature gating, exactly as the integration guide defines it, so no app
 * re-derives (and subtly changes) the rules:
 *   - access: the base subscription is ACTIVE or TRIALING; PAST_DUE counts only
 *     when you opt into a grace period with `allowPastDue`;
 *   - a plan: access, and the base plan's slug is the one asked for;
 *   - cancelAtPeriodEnd: still access until currentPeriodEnd, but no renewal.
 * Every helper accepts null/undefined (no answer) and then says "no".
 */
import type { Eligibility, SubscriptionStatus } from './types.ts';

export interface AccessOptions {
  /** Treat PAST_DUE (payment failed, provider still retrying) as access: a grace period. Default false. */
  allowPastDue?: boolean | undefined;
}

type MaybeEligibility = Eligibility | null | undefined;

const ACCESS: ReadonlySet<SubscriptionStatus> = new Set(['ACTIVE', 'TRIALING']);

/** True when the user may use paid features: base subscription ACTIVE or TRIALING (or PAST_DUE with `allowPastDue`). */
export function hasAccess(eligibility: MaybeEligibility, options: AccessOptions = {}): boolean {
  const status = eligibility?.base?.status;
  if (status === undefined) return false;
  return ACCESS.has(status) || (options.allowPastDue === true && status === 'PAST_DUE');
}

/** True when the user has access and their base plan is `slug` (or one of `slug` when given a list). */
export function hasPlan(eligibility: MaybeEligibility, slug: string | readonly string[], options: AccessOptions = {}): boolean {
  if (!hasAccess(eligibility, options)) return false;
  const planSlug = eligibility?.base?.plan.slug;
  return typeof slug === 'string' ? planSlug === slug : planSlug !== undefined && slug.includes(planSlug);
}

/** True when there is a current subscription (ACTIVE, TRIALING or PAST_DUE) that is not set to cancel at period end. */
export function willRenew(eligibility: MaybeEligibility): boolean {
  return hasAccess(eligibility, { allowPastDue: true }) && eligibility?.base?.cancelAtPeriodEnd === false;
}

/**
 * When access ends for a subscription set to cancel (`cancelAtPeriodEnd`): its
 * `currentPeriodEnd` as a Date. Null when it renews or there is none. Show
 * "Your plan ends on …" rather than blocking: access lasts until then.
 */
export function endsAt(eligibility: MaybeEligibility): Date | null {
  const base = eligibility?.base;
  if (!base?.cancelAtPeriodEnd) return null;
  const date = new Date(base.currentPeriodEnd);
  return Number.isNaN(date.getTime()) ? null : date;
}
