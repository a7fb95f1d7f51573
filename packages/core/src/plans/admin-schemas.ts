import { z } from 'zod';
import { CurrencySchema, IntervalSchema, MinorUnits, Name, Slug } from '../common/schemas.ts';

export const StripePriceId = z
  .string()
  .trim()
  .regex(/^price_[A-Za-z0-9_]+$/, 'must be a Stripe price id (price_...)')
  .max(255);

/** The console's plan form: the guide's fields. An empty Stripe Price ID is null (a free plan, or one not sold through Stripe yet). */
/**
 * A plan's price at its other interval (the yearly one beside a monthly `interval`, or the monthly one beside
 * a yearly one), with its own amount, currency and Stripe Price ID. Null removes it; absent on an edit keeps it.
 */
export const OtherPriceInput = z.strictObject({ priceAmount: MinorUnits, currency: CurrencySchema, stripePriceId: StripePriceId.nullable() });
export type OtherPriceInput = z.infer<typeof OtherPriceInput>;

const planFields = {
  name: Name,
  priceAmount: MinorUnits,
  currency: CurrencySchema,
  interval: IntervalSchema,
  stripePriceId: StripePriceId.nullable(),
  otherPrice: OtherPriceInput.nullable().optional(),
};

export const AdminCreatePlanInput = z.strictObject({ slug: Slug, ...planFields });
export type AdminCreatePlanInput = z.input<typeof AdminCreatePlanInput>;

export const AdminUpdatePlanInput = z.strictObject({ slug: Slug, ...planFields });
export type AdminUpdatePlanInput = z.input<typeof AdminUpdatePlanInput>;

export const SetPlanActiveInput = z.strictObject({ slug: Slug, active: z.boolean() });
export type SetPlanActiveInput = z.input<typeof SetPlanActiveInput>;

/** A plan as the console lists it: inactive ones too. */
export const AdminPlanView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  priceAmount: z.number().int(),
  currency: CurrencySchema,
  interval: IntervalSchema,
  stripePriceId: z.string().nullable(),
  /** Every price of the plan, monthly first (the fields above are its default one). */
  prices: z.array(z.object({ interval: IntervalSchema, priceAmount: z.number().int(), currency: CurrencySchema, stripePriceId: z.string().nullable() })),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type AdminPlanView = z.infer<typeof AdminPlanView>;
