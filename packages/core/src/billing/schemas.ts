import { z } from 'zod';
import { CurrencySchema, IntervalSchema, Slug } from '../common/schemas.ts';
import { SubscriptionSourceSchema, SubscriptionStatusSchema } from '../subscriptions/schemas.ts';

/**
 * The subscriber-facing contract of the hosted billing pages (tRPC router
 * `billing.*`). Every procedure is authorised by the subscriber session
 * cookie; the customer and app always come from that session.
 */

const IsoDate = z.iso.datetime();

export const BillingOverview = z.object({
  app: z.object({ name: z.string(), slug: z.string() }),
  /** Where "Back to app" goes: the session's returnUrl, else the app's registered URL. */
  returnUrl: z.string(),
  intent: z.enum(['manage', 'upgrade']),
  /** The plan an upgrade session asked to pre-select. */
  planSlug: z.string().nullable(),
  /** With planSlug: the plan's price (monthly or yearly) the session asked to pre-select. */
  billingInterval: IntervalSchema.nullable(),
  customer: z.object({ email: z.string().nullable(), name: z.string().nullable() }),
  sessionExpiresAt: IsoDate,
});
export type BillingOverview = z.infer<typeof BillingOverview>;

export const BillingPlan = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  priceAmount: z.number().int(),
  currency: CurrencySchema,
  interval: IntervalSchema,
  trialDays: z.number().int(),
  /** The prices a subscriber can buy the plan at (monthly first); `priceAmount`/`interval` above are the default one. */
  prices: z.array(z.object({ interval: IntervalSchema, priceAmount: z.number().int(), currency: CurrencySchema })),
  /** True for the plan of the subscriber's current subscription. */
  current: z.boolean(),
  /** On the current plan: the interval of the price the subscriber is on. */
  currentInterval: IntervalSchema.nullable(),
});
export type BillingPlan = z.infer<typeof BillingPlan>;

export const BillingPlanList = z.object({ plans: z.array(BillingPlan) });
export type BillingPlanList = z.infer<typeof BillingPlanList>;

export const BillingSubscription = z.object({
  id: z.string(),
  status: SubscriptionStatusSchema,
  source: SubscriptionSourceSchema,
  plan: z.object({ slug: z.string(), name: z.string(), priceAmount: z.number().int(), currency: CurrencySchema, interval: IntervalSchema }),
  currentPeriodStart: IsoDate,
  currentPeriodEnd: IsoDate,
  trialEnd: IsoDate.nullable(),
  cancelAtPeriodEnd: z.boolean(),
  canceledAt: IsoDate.nullable(),
  /** True when the plan can be changed or cancelled here (Stripe-backed, not a manual grant). */
  manageable: z.boolean(),
  /**
   * A free plan (price 0): nothing is paid, renewed or cancelled here. A paid
   * plan is bought through checkout and replaces it.
   */
  free: z.boolean(),
  /**
   * No end date: a free plan the subscriber took (`currentPeriodEnd` is a
   * far-future placeholder, not to be shown). False for everything else,
   * including a free plan an operator granted for some days, which ends on
   * `currentPeriodEnd`.
   */
  openEnded: z.boolean(),
});
export type BillingSubscription = z.infer<typeof BillingSubscription>;

/** What ended last, so a subscriber without a plan reads what happened (canceled, refunded) rather than "no plan yet". */
export const EndedSubscription = z.object({
  planName: z.string(),
  /** When access ended (the cancellation or expiry). */
  endedAt: IsoDate,
  status: z.enum(['CANCELED', 'EXPIRED']),
  /** What was refunded on its invoices, in `currency` minor units (0: nothing). */
  refundedAmount: z.number().int(),
  currency: CurrencySchema,
});
export type EndedSubscription = z.infer<typeof EndedSubscription>;

/** `billing.subscription.get`: the current base subscription, or null and the one that ended last (if any). */
export const BillingSubscriptionResult = z.object({ subscription: BillingSubscription.nullable(), lastEnded: EndedSubscription.nullable() });
export type BillingSubscriptionResult = z.infer<typeof BillingSubscriptionResult>;

/** `billing.paymentMethod`: the card Stripe charges for this subscriber (the portal shows the same), or null. */
export const BillingPaymentMethod = z.object({
  card: z.object({ brand: z.string(), last4: z.string(), expMonth: z.number().int(), expYear: z.number().int() }).nullable(),
});
export type BillingPaymentMethod = z.infer<typeof BillingPaymentMethod>;

export const BillingInvoice = z.object({
  id: z.string(),
  createdAt: IsoDate,
  amount: z.number().int(),
  amountRefunded: z.number().int(),
  currency: CurrencySchema,
  status: z.enum(['DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE']),
  source: z.enum(['STRIPE', 'MANUAL', 'ISSUED']),
  /** What was billed: a plan name, "Plan change to …", or how a manual payment arrived ("Bank transfer"). */
  description: z.string(),
  /** The service period the invoice covers, when it has one. */
  periodStart: IsoDate.nullable(),
  periodEnd: IsoDate.nullable(),
  hostedInvoiceUrl: z.string().nullable(),
  invoicePdfUrl: z.string().nullable(),
  /** Issued invoices: when payment is due. */
  dueAt: IsoDate.nullable(),
  /** The last failed attempt to pay it (the card's decline), until it is paid. */
  paymentFailureReason: z.string().nullable(),
});
export type BillingInvoice = z.infer<typeof BillingInvoice>;

export const BillingInvoiceList = z.object({ invoices: z.array(BillingInvoice) });
export type BillingInvoiceList = z.infer<typeof BillingInvoiceList>;

/** The plan's monthly or yearly price; without it, the monthly one when the plan has one, else its only price. */
export const BillingIntervalInput = IntervalSchema.optional();

export const CheckoutInput = z.strictObject({ planSlug: Slug, billingInterval: BillingIntervalInput });
export type CheckoutInput = z.infer<typeof CheckoutInput>;

/**
 * `billing.checkout.create`:
 * - `redirect`: go to Stripe Checkout at `url`;
 * - `activated`: a free plan, active at once (Stripe is never called);
 * - `plan_change`: the subscriber already pays for a plan; use the plan-change flow instead.
 */
export const CheckoutResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('redirect'), url: z.string() }),
  z.object({ kind: z.literal('activated'), subscription: BillingSubscription }),
  z.object({ kind: z.literal('plan_change'), planSlug: z.string(), billingInterval: IntervalSchema }),
]);
export type CheckoutResult = z.infer<typeof CheckoutResult>;

export const VerifyCheckoutInput = z.strictObject({ sessionId: z.string().min(1).max(255) });
export type VerifyCheckoutInput = z.infer<typeof VerifyCheckoutInput>;

/** `billing.checkout.verify`: fulfils at once from the Checkout Session when it is paid. */
export const VerifyCheckoutResult = z.object({
  status: z.enum(['complete', 'pending', 'expired']),
  /** The subscription this checkout bought, never another one the subscriber already had. */
  subscription: BillingSubscription.nullable(),
});
export type VerifyCheckoutResult = z.infer<typeof VerifyCheckoutResult>;

export const CheckoutStatusInput = z.strictObject({ sessionId: z.string().min(1).max(255) });
export type CheckoutStatusInput = z.infer<typeof CheckoutStatusInput>;

/**
 * `billing.checkout.status`: the same answer as verify, from our own records
 * only (no Stripe call), so the confirmation page can poll it while the
 * webhook fulfils the checkout.
 */
export const CheckoutStatusResult = VerifyCheckoutResult;
export type CheckoutStatusResult = VerifyCheckoutResult;

/** A change to another plan, or to the other interval of the same plan (monthly ↔ yearly). */
export const PlanChangeInput = z.strictObject({ planSlug: Slug, billingInterval: BillingIntervalInput });
export type PlanChangeInput = z.infer<typeof PlanChangeInput>;

export const PlanChangePreview = z.object({
  fromPlan: z.object({ slug: z.string(), name: z.string() }),
  toPlan: z.object({ slug: z.string(), name: z.string(), priceAmount: z.number().int(), currency: CurrencySchema, interval: IntervalSchema }),
  direction: z.enum(['upgrade', 'downgrade', 'same_price']),
  /** What is charged now (may be 0 for a downgrade, whose credit goes to the next invoice). */
  amountDueNow: z.number().int(),
  currency: CurrencySchema,
  /**
   * Stripe's invoice lines, structured (Stripe's own `description` is English text with its own money
   * format, e.g. "1 × Aquoris PRO (yearly) (at THB 2,990.00 / year)"; the pages word and format them):
   * `unused` is the credit for the current plan's unused time, `remaining` the charge for the rest of the
   * period on the new plan, `period` a whole new period of the new plan.
   */
  lines: z.array(
    z.object({ kind: z.enum(['unused', 'remaining', 'period']), planName: z.string(), periodStart: IsoDate, periodEnd: IsoDate, amount: z.number().int() }),
  ),
  /** Pass back to confirm so the charge matches the preview. */
  prorationDate: z.number().int(),
  nextRenewalAt: IsoDate,
  /** True when the switch changes the interval (monthly ↔ yearly): the new plan's period starts at the switch. */
  startsNewPeriod: z.boolean(),
});
export type PlanChangePreview = z.infer<typeof PlanChangePreview>;

export const ConfirmPlanChangeInput = z.strictObject({ planSlug: Slug, billingInterval: BillingIntervalInput, prorationDate: z.number().int().positive() });
export type ConfirmPlanChangeInput = z.infer<typeof ConfirmPlanChangeInput>;

export const PortalResult = z.object({ url: z.string() });
export type PortalResult = z.infer<typeof PortalResult>;
