import { AdminCreatePlanInput, StripePriceId, type AdminPlanView } from '@aquoris/core/admin-schemas';
import { CURRENCIES, parseMajorUnits, toMajorUnitsText } from '@aquoris/core/money';
import { z } from 'zod';

/**
 * The second price of the plan form (the yearly one beside a monthly plan, or the monthly one beside a yearly
 * plan), typed in major units ("2990.00") and sent as the API's `otherPrice` in minor units.
 */
const OtherPriceForm = z.object({ priceAmount: z.string(), currency: z.enum(CURRENCIES), stripePriceId: StripePriceId.nullable() }).transform((value, ctx) => {
  const parsed = parseMajorUnits(value.priceAmount, value.currency);
  if (parsed.ok) return { ...value, priceAmount: parsed.minor };
  ctx.addIssue({ code: 'custom', path: ['priceAmount'], message: parsed.message });
  return z.NEVER;
});

/** What the form validates: the API's input, with the second price as typed. Its output is the API's input. */
export const PlanFormSchema = AdminCreatePlanInput.omit({ otherPrice: true }).extend({ otherPrice: OtherPriceForm.nullable() });
export type PlanFormValues = z.input<typeof PlanFormSchema>;
/** What the resolver hands the submit handler: the API's input, the second price in minor units. */
export type PlanFormOutput = z.output<typeof PlanFormSchema>;
export type OtherPriceValues = NonNullable<PlanFormValues['otherPrice']>;

export const PLAN_FORM_FIELDS = [
  'slug',
  'name',
  'priceAmount',
  'currency',
  'interval',
  'stripePriceId',
  'otherPrice.priceAmount',
  'otherPrice.currency',
  'otherPrice.stripePriceId',
] as const;

export const otherIntervalOf = (interval: 'month' | 'year') => (interval === 'month' ? 'year' : 'month');
/** "Yearly" beside a monthly plan, "Monthly" beside a yearly one. */
export const otherPriceLabel = (interval: 'month' | 'year') => (interval === 'month' ? 'Yearly' : 'Monthly');

export function planFormDefaults(plan: AdminPlanView | null): PlanFormValues {
  if (!plan) return { slug: '', name: '', priceAmount: 0, currency: 'thb', interval: 'month', stripePriceId: null, otherPrice: null };
  const other = plan.prices.find((p) => p.interval !== plan.interval);
  return {
    slug: plan.slug,
    name: plan.name,
    priceAmount: plan.priceAmount,
    currency: plan.currency,
    interval: plan.interval,
    stripePriceId: plan.stripePriceId,
    otherPrice: other
      ? { priceAmount: toMajorUnitsText(other.priceAmount, other.currency), currency: other.currency, stripePriceId: other.stripePriceId }
      : null,
  };
}
