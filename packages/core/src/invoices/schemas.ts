import { z } from 'zod';
import { CurrencySchema } from '../common/schemas.ts';
import { parseMajorUnits } from '../money.ts';
import { Days, PlanChoice } from '../subscriptions/admin-schemas.ts';

export const PAYMENT_METHODS = ['bank_transfer', 'wire', 'cash', 'other'] as const;
export const PaymentMethodSchema = z.enum(PAYMENT_METHODS);
export const PAYMENT_METHOD_LABELS: Record<(typeof PAYMENT_METHODS)[number], string> = {
  bank_transfer: 'Bank transfer',
  wire: 'Wire',
  cash: 'Cash',
  other: 'Other',
};

/** An amount as a person types it in major units ("299.00"); checked against the currency beside it. */
export const MajorAmount = z.string().trim().min(1, 'enter an amount').max(32);

/** "Record Payment": money received outside Stripe, and what it pays for. */
export const RecordPaymentInput = z
  .strictObject({
    customerId: z.string().min(1).max(255),
    amount: MajorAmount,
    currency: CurrencySchema,
    paymentMethod: PaymentMethodSchema,
    reference: z.string().trim().min(1, 'enter the reference number').max(255),
    planSlug: PlanChoice,
    days: Days,
    /** Made once per form by the client: the same submission sent twice records one payment. */
    idempotencyKey: z.string().min(8).max(255),
  })
  .superRefine((input, ctx) => {
    const parsed = parseMajorUnits(input.amount, input.currency);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['amount'], message: parsed.message });
  });
export type RecordPaymentInput = z.infer<typeof RecordPaymentInput>;

export const RecordPaymentResult = z.object({
  invoiceId: z.string(),
  subscriptionId: z.string(),
  amount: z.number().int(),
  currency: CurrencySchema,
  currentPeriodEnd: z.iso.datetime(),
  /** True when this key had been recorded already: nothing new was written. */
  replayed: z.boolean(),
});
export type RecordPaymentResult = z.infer<typeof RecordPaymentResult>;

/** "Refund" on an invoice, as the admin form sends it: the amount in major units (omitted: the refundable remainder). */
export const RefundFormInput = z.strictObject({
  invoiceId: z.string().min(1).max(255),
  amount: MajorAmount.optional(),
  reason: z.string().trim().max(1024).optional(),
  cancelSubscription: z.boolean().default(false),
});
export type RefundFormInput = z.input<typeof RefundFormInput>;
