import { z } from 'zod';
import { CurrencySchema, IntervalSchema, MinorUnits, Name, Slug } from '../common/schemas.ts';

/** One price of a plan: what it costs per month or per year. */
export const PublicPlanPrice = z
  .object({
    interval: IntervalSchema,
    priceAmount: z.number().int().meta({ description: 'Price in minor units per interval', example: 299000 }),
    currency: CurrencySchema,
  })
  .meta({ id: 'PlanPrice' });
export type PublicPlanPrice = z.infer<typeof PublicPlanPrice>;

/**
 * A plan as client apps see it: exactly the documented fields. `priceAmount`, `currency` and `interval` are
 * its default price (the monthly one when it has one); `prices` lists every price, monthly first.
 */
export const PublicPlan = z
  .object({
    slug: z.string().meta({ description: 'Stable plan identifier: compare on this, not on name', example: 'pro' }),
    name: z.string().meta({ example: 'Aquoris PRO' }),
    priceAmount: z.number().int().meta({ description: 'Price in minor units (29900 = THB 299.00)', example: 29900 }),
    currency: CurrencySchema,
    interval: IntervalSchema,
    trialDays: z.number().int().meta({ description: 'Free trial days (0 if none)' }),
    prices: z.array(PublicPlanPrice).meta({ description: 'The monthly and/or yearly price, monthly first' }),
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
  /**
   * The plan's price at its other interval (yearly beside a monthly plan, monthly beside a yearly one), in the
   * plan's currency; its Stripe price given, or created with the first (`--create-stripe-price`).
   */
  otherPrice: z
    .strictObject({
      priceAmount: MinorUnits.refine((n) => n > 0, 'must be more than zero'),
      stripePriceId: z
        .string()
        .regex(/^price_[A-Za-z0-9_]+$/, 'must be a Stripe price id (price_...)')
        .max(255)
        .optional(),
    })
    .optional(),
  displayOrder: z.number().int().min(0).max(1_000_000).optional(),
});
export type CreatePlanInput = z.input<typeof CreatePlanInput>;
