import { z } from 'zod';
import { CurrencySchema, IntervalSchema, MinorUnits, Name, Slug } from '../common/schemas.ts';

/** A plan as client apps see it: exactly the documented fields. */
export const PublicPlan = z
  .object({
    slug: z.string().meta({ description: 'Stable plan identifier: compare on this, not on name', example: 'pro' }),
    name: z.string().meta({ example: 'Aquoris PRO' }),
    priceAmount: z.number().int().meta({ description: 'Price in minor units (29900 = THB 299.00)', example: 29900 }),
    currency: CurrencySchema,
    interval: IntervalSchema,
    trialDays: z.number().int().meta({ description: 'Free trial days (0 if none)' }),
  })
  .meta({ id: 'Plan' });
export type PublicPlan = z.infer<typeof PublicPlan>;

export const ListPlansResponse = z.object({ plans: z.array(PublicPlan) }).meta({ id: 'PlanList' });
export type ListPlansResponse = z.infer<typeof ListPlansResponse>;

export const CreatePlanInput = z.strictObject({
  slug: Slug,
  name: Name,
  description: z.string().max(4096).optional(),
  priceAmount: MinorUnits,
  currency: CurrencySchema,
  interval: IntervalSchema,
  trialDays: z.number().int().min(0).max(730).default(0),
  stripePriceId: z
    .string()
    .regex(/^price_[A-Za-z0-9_]+$/, 'must be a Stripe price id (price_...)')
    .max(255)
    .optional(),
  active: z.boolean().default(true),
  displayOrder: z.number().int().min(0).max(1_000_000).optional(),
});
export type CreatePlanInput = z.input<typeof CreatePlanInput>;
