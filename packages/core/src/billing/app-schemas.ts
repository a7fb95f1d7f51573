import { z } from 'zod';
import { EligibilitySubscription } from '../subscriptions/schemas.ts';

/** POST /customers/{externalUserId}/portal-session. */
export const PortalSessionBody = z
  .strictObject({
    returnUrl: z
      .string()
      .max(2048)
      .meta({ description: "Where the portal's back link goes: on one of the app's allowed origins", example: 'https://vega.aquoris.ai/settings' }),
  })
  .meta({ id: 'PortalSessionBody' });
export type PortalSessionBody = z.infer<typeof PortalSessionBody>;

export const PortalSessionResponse = z
  .object({ url: z.url().meta({ description: 'The Stripe Customer Portal page for this customer; redirect the user to it' }) })
  .meta({ id: 'PortalSession' });
export type PortalSessionResponse = z.infer<typeof PortalSessionResponse>;

/** GET /checkout/verify?session_id=cs_... */
export const VerifyCheckoutQuery = z.strictObject({
  session_id: z
    .string()
    .min(1)
    .max(255)
    .regex(/^cs_[A-Za-z0-9_]+$/, 'must be a Checkout Session id (cs_...)')
    .meta({ description: 'The Checkout Session id Stripe put in the success URL', example: 'cs_test_a1b2c3' }),
});
export type VerifyCheckoutQuery = z.infer<typeof VerifyCheckoutQuery>;

export const VerifiedCheckout = z
  .object({
    status: z.literal('complete'),
    externalUserId: z.string(),
    subscription: EligibilitySubscription.extend({ id: z.string() }).meta({
      id: 'VerifiedSubscription',
      description: 'The subscription this checkout created',
    }),
  })
  .meta({ id: 'VerifiedCheckout' });
export type VerifiedCheckout = z.infer<typeof VerifiedCheckout>;
