import { z } from 'zod';
import { CustomerName, Email, ExternalUserId, IntervalSchema, SlugReference } from '../common/schemas.ts';

export const SessionIntent = z.enum(['manage', 'upgrade']).meta({
  description: '"manage" lands on /billing, "upgrade" on /billing/plans',
});

export const CreateSessionBody = z
  .strictObject({
    externalUserId: ExternalUserId,
    appSlug: SlugReference.meta({ description: 'Must be the app that owns the API key', example: 'vega' }),
    intent: SessionIntent.default('manage'),
    planSlug: SlugReference.optional().meta({ description: 'With intent "upgrade": the plan to pre-select' }),
    billingInterval: IntervalSchema.optional().meta({
      description: 'With planSlug: its monthly or yearly price to pre-select (the plan must be sold at that interval)',
    }),
    returnUrl: z.string().max(2048).optional().meta({
      description: "Overrides the app's registered return URL; must be on its domain or a subdomain",
    }),
    user: z
      .strictObject({
        email: Email.optional(),
        name: CustomerName.optional(),
      })
      .optional()
      .meta({ description: 'Creates or updates the customer record' }),
  })
  .meta({ id: 'CreateSessionBody' });
export type CreateSessionBody = z.input<typeof CreateSessionBody>;

export const CreateSessionResponse = z
  .object({ url: z.url().meta({ example: 'https://payment.aquoris.ai/session/eyJhbGciOiJIUzI1NiJ9...' }) })
  .meta({ id: 'Session' });
export type CreateSessionResponse = z.infer<typeof CreateSessionResponse>;
