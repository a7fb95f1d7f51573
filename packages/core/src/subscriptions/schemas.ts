import { z } from 'zod';
import { ExternalUserId, IntervalSchema, Slug } from '../common/schemas.ts';

export const SUBSCRIPTION_STATUSES = ['ACTIVE', 'PAST_DUE', 'CANCELED', 'INCOMPLETE', 'TRIALING', 'UNPAID', 'PAUSED', 'EXPIRED'] as const;
export const SubscriptionStatusSchema = z.enum(SUBSCRIPTION_STATUSES);
export const SubscriptionSourceSchema = z.enum(['CHECKOUT', 'MANUAL', 'TRIAL']).meta({
  description: 'CHECKOUT (Stripe), MANUAL (admin-granted) or TRIAL',
});

export const EligibilitySubscription = z
  .object({
    status: SubscriptionStatusSchema,
    plan: z.object({ slug: z.string(), name: z.string(), interval: IntervalSchema }),
    currentPeriodEnd: z.iso.datetime().meta({ description: 'End of the current billing period (ISO 8601, UTC)' }),
    cancelAtPeriodEnd: z.boolean().meta({ description: 'true if the subscription will not renew' }),
    source: SubscriptionSourceSchema,
  })
  .meta({ id: 'EligibilitySubscription' });
export type EligibilitySubscription = z.infer<typeof EligibilitySubscription>;

export const EligibilityResponse = z
  .object({
    base: EligibilitySubscription.nullable().meta({ description: 'The primary subscription, or null if none' }),
    addons: z.array(EligibilitySubscription).meta({ description: 'Add-on subscriptions (currently always [])' }),
  })
  .meta({ id: 'Eligibility' });
export type EligibilityResponse = z.infer<typeof EligibilityResponse>;

export const GrantSubscriptionInput = z.strictObject({
  appSlug: Slug,
  externalUserId: ExternalUserId,
  planSlug: Slug,
  days: z.number().int().min(1).max(3650),
  reason: z.string().max(1024).optional(),
});
export type GrantSubscriptionInput = z.infer<typeof GrantSubscriptionInput>;
