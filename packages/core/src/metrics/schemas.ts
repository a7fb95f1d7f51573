import { z } from 'zod';
import { CURRENCIES } from '../money.ts';

// The Dashboard's contract (issue 13): each card and chart is its own procedure (admin.dashboard.<name>), so one
// that is slow or fails leaves the others standing. Definitions: docs/metrics.md. Amounts are minor units, never
// converted between currencies; every currency the data holds appears, with 0 where it has nothing.

const CurrencySchema = z.enum(CURRENCIES);
/** A calendar month in UTC, as "YYYY-MM". */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use a month as YYYY-MM');

export const DashboardFilter = z.strictObject({
  /** Only this app's subscriptions and invoices; absent for every app. */
  appId: z.string().min(1).max(64).optional(),
  /** The selected month; absent for the current month (by the clock). */
  month: Month.optional(),
});
export type DashboardFilter = z.input<typeof DashboardFilter>;

const Amount = z.object({ currency: CurrencySchema, amount: z.number().int() });

/** MRR now (or at the end of the selected month, if it is past), per currency. */
export const MrrCard = z.object({ asOf: z.iso.datetime(), mrr: z.array(Amount) });
/** Subscriptions in ACTIVE, PAST_DUE or TRIALING now (or at the end of the selected month, if it is past), with that breakdown. */
export const ActiveSubscriptionsCard = z.object({
  asOf: z.iso.datetime(),
  total: z.number().int(),
  active: z.number().int(),
  pastDue: z.number().int(),
  trialing: z.number().int(),
});
/** Churn over the 30 days ending at asOf: churned ÷ (paying at start + new paying). rate is null when 0 ÷ 0. */
export const ChurnCard = z.object({
  windowStart: z.iso.datetime(),
  asOf: z.iso.datetime(),
  rate: z.number().min(0).max(1).nullable(),
  churned: z.number().int(),
  payingAtStart: z.number().int(),
  newPaying: z.number().int(),
});
const RevenueAmounts = z.object({
  currency: CurrencySchema,
  gross: z.number().int(),
  refunds: z.number().int(),
  net: z.number().int(),
});
/** Revenue for the selected month, per currency: paid invoices by payment time minus succeeded refunds by refund time. */
export const RevenueCard = z.object({ month: Month, revenue: z.array(RevenueAmounts) });

/** The last 12 months ending with the selected one, oldest first. */
export const MrrSeries = z.object({ months: z.array(z.object({ month: Month, mrr: z.array(Amount) })) });
export const SubscriptionFlowSeries = z.object({
  months: z.array(z.object({ month: Month, new: z.number().int(), churned: z.number().int() })),
});
export const RevenueSeries = z.object({ months: z.array(z.object({ month: Month, revenue: z.array(RevenueAmounts) })) });

/** MRR movements of the selected month per currency: starting + new + expansion − contraction − churned + reactivation = ending. */
export const MrrMovements = z.object({
  month: Month,
  movements: z.array(
    z.object({
      currency: CurrencySchema,
      starting: z.number().int(),
      new: z.number().int(),
      expansion: z.number().int(),
      contraction: z.number().int(),
      churned: z.number().int(),
      reactivation: z.number().int(),
      ending: z.number().int(),
    }),
  ),
});

export type MrrCard = z.infer<typeof MrrCard>;
export type ActiveSubscriptionsCard = z.infer<typeof ActiveSubscriptionsCard>;
export type ChurnCard = z.infer<typeof ChurnCard>;
export type RevenueCard = z.infer<typeof RevenueCard>;
export type MrrSeries = z.infer<typeof MrrSeries>;
export type SubscriptionFlowSeries = z.infer<typeof SubscriptionFlowSeries>;
export type RevenueSeries = z.infer<typeof RevenueSeries>;
export type MrrMovements = z.infer<typeof MrrMovements>;

/** The words of each card's tooltip: the definitions of docs/metrics.md, shortened. */
export const METRIC_DEFINITIONS = {
  mrr: 'Monthly recurring revenue per currency (never converted): the plan price of every ACTIVE or PAST_DUE subscription, yearly plans ÷ 12, manual subscriptions at their plan price. Trials, free plans and ended subscriptions count 0; one set to cancel at period end counts until it ends.',
  active: 'Subscriptions in ACTIVE, PAST_DUE or TRIALING, with that breakdown.',
  churn:
    'Paying subscribers who churned in the last 30 days ÷ (paying subscribers 30 days ago + new paying subscribers since). A subscriber churns when their MRR goes from above 0 to 0; a plan change is never churn.',
  revenue:
    'For the selected month, per currency: the amount paid on paid invoices (Stripe and manual) by payment time, minus succeeded refunds by refund time.',
  mrrSeries: 'MRR at the end of each of the last 12 months (now, for the current month), per currency.',
  subscriptionFlow: 'Subscribers who started paying (new or returning) and who churned, by month.',
  revenueSeries: 'Gross revenue and refunds by month, per currency, by payment and refund time.',
  movements:
    'How MRR moved in the month: new (first payment), expansion (upgrades), contraction (downgrades), churned (to 0) and reactivation (back from 0). Starting + new + expansion − contraction − churned + reactivation = ending.',
} as const satisfies Record<string, string>;
