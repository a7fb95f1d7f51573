import { z } from 'zod';
import { Slug } from '../common/schemas.ts';
import { BillingInvoiceList, BillingSubscription, BillingSubscriptionResult, PlanChangePreview, PortalResult } from '../billing/schemas.ts';

// The end-user endpoints (/api/v1/me/*): the billing pages' contract (billing/schemas.ts) over REST, for an app's
// own front end, authorised by the billing-session token POST /sessions issues (the last path segment of its url).

export const MeSubscription = BillingSubscriptionResult.meta({ id: 'MeSubscription' });
export const MePayments = BillingInvoiceList.meta({ id: 'MePayments' });
export const MePortal = PortalResult.meta({ id: 'MePortal' });
export const MeSubscriptionView = BillingSubscription.meta({ id: 'MeSubscriptionView' });

/** Without prorationDate: the preview (nothing changes). With the preview's prorationDate: the change, charged as previewed. */
export const MeUpdateSubscriptionBody = z
  .strictObject({
    planSlug: Slug,
    prorationDate: z.number().int().positive().optional().meta({ description: "The preview's prorationDate, to confirm" }),
  })
  .meta({ id: 'MeUpdateSubscriptionBody' });
export type MeUpdateSubscriptionBody = z.input<typeof MeUpdateSubscriptionBody>;

export const MeUpdateSubscriptionResult = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('preview'), preview: PlanChangePreview }),
    z.object({ kind: z.literal('changed'), subscription: BillingSubscription }),
  ])
  .meta({ id: 'MeUpdateSubscriptionResult' });
export type MeUpdateSubscriptionResult = z.infer<typeof MeUpdateSubscriptionResult>;
