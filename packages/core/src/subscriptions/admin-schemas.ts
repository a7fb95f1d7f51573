import { z } from 'zod';
import { Cursor, PageSize } from '../pagination.ts';
import { SlugReference } from '../common/schemas.ts';
import { SubscriptionSourceSchema, SubscriptionStatusSchema } from './schemas.ts';

const Id = z.string().min(1).max(255);
const Reason = z.string().trim().min(1, 'must not be empty').max(1024);
/** A number of days, as the console's forms ask for it (an empty box is "not a number"). */
export const Days = z.number({ error: 'enter a number of days' }).int('must be a whole number').min(1, 'must be at least 1').max(3650, 'must be at most 3650');
/** A plan picked from a list: empty means none was picked. */
export const PlanChoice = z.string().min(1, 'choose a plan').pipe(SlugReference);

/** The admin Subscriptions list: filters by status, app and plan, a page at a time. */
export const ListSubscriptionsInput = z.strictObject({
  status: SubscriptionStatusSchema.optional(),
  appSlug: SlugReference.optional(),
  planSlug: SlugReference.optional(),
  /** Stripe's mode: test or live (manual grants and rows from before per-app accounts are test). */
  mode: z.enum(['test', 'live']).optional(),
  cursor: Cursor.optional(),
  limit: PageSize,
});
export type ListSubscriptionsInput = z.input<typeof ListSubscriptionsInput>;

export const AdminSubscriptionView = z.object({
  id: z.string(),
  status: SubscriptionStatusSchema,
  source: SubscriptionSourceSchema,
  kind: z.enum(['BASE', 'ADDON']),
  app: z.string(),
  plan: z.object({ slug: z.string(), name: z.string() }),
  customer: z.object({ id: z.string(), externalUserId: z.string(), email: z.string().nullable(), name: z.string().nullable() }),
  currentPeriodStart: z.iso.datetime(),
  currentPeriodEnd: z.iso.datetime(),
  trialEnd: z.iso.datetime().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  canceledAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  stripeSubscriptionId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type AdminSubscriptionView = z.infer<typeof AdminSubscriptionView>;

export const SubscriptionPage = z.object({
  /** The exact number of subscriptions the filter matches, whatever the page. */
  total: z.number().int(),
  subscriptions: z.array(AdminSubscriptionView),
  nextCursor: z.string().nullable(),
});
export type SubscriptionPage = z.infer<typeof SubscriptionPage>;

/** "Cancel Sub" (at period end) and "Resume". */
export const SubscriptionActionInput = z.strictObject({ subscriptionId: Id });
export type SubscriptionActionInput = z.infer<typeof SubscriptionActionInput>;

/** "Extend": Days and Reason, both required. */
export const ExtendSubscriptionInput = z.strictObject({ subscriptionId: Id, days: Days, reason: Reason });
export type ExtendSubscriptionInput = z.infer<typeof ExtendSubscriptionInput>;

/** "Grant Subscription" on a customer: Plan, Days, Reason. */
export const GrantToCustomerInput = z.strictObject({ customerId: Id, planSlug: PlanChoice, days: Days, reason: Reason });
export type GrantToCustomerInput = z.infer<typeof GrantToCustomerInput>;
