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

/** `POST /invoices/{invoiceId}/payment-intent`: which invoice to collect. */
export const InvoicePaymentIntentParams = z.strictObject({
  invoiceId: z.string().min(1).max(255).meta({ description: 'The invoice id (from the invoices of a customer)', example: 'inv_cm1abc' }),
});
export type InvoicePaymentIntentParams = z.infer<typeof InvoicePaymentIntentParams>;

/** The payment intent that collects one invoice; confirm it with Stripe.js using `clientSecret`. */
export const InvoicePaymentIntentView = z
  .object({
    id: z.string().meta({ description: 'The Stripe PaymentIntent id (pi_...)' }),
    invoiceId: z.string(),
    clientSecret: z.string().meta({ description: "The PaymentIntent's client_secret, for Stripe.js (confirmCardPayment)" }),
    amount: z.number().int().meta({ description: 'Minor units' }),
    currency: CurrencySchema,
    status: z.string().meta({ description: "Stripe's PaymentIntent status: requires_payment_method, requires_confirmation, processing, succeeded, ..." }),
  })
  .meta({ id: 'InvoicePaymentIntent' });
export type InvoicePaymentIntentView = z.infer<typeof InvoicePaymentIntentView>;

/** A calendar day, YYYY-MM-DD (UTC). */
const CalendarDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'enter a date as YYYY-MM-DD')
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), 'enter a real date');

/** "Issue invoice": an amount a customer owes, to be paid by card before the due date. */
export const IssueInvoiceInput = z
  .strictObject({
    customerId: z.string().min(1).max(255),
    amount: MajorAmount,
    currency: CurrencySchema,
    description: z.string().trim().min(1, 'enter what the invoice is for').max(1024),
    dueDate: CalendarDay,
    /** Made once per form by the console: the same submission sent twice issues one invoice. */
    idempotencyKey: z.string().min(8).max(255).optional(),
  })
  .superRefine((input, ctx) => {
    const parsed = parseMajorUnits(input.amount, input.currency);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['amount'], message: parsed.message });
  });
export type IssueInvoiceInput = z.infer<typeof IssueInvoiceInput>;

export const IssueInvoiceResult = z.object({
  invoiceId: z.string(),
  status: z.literal('OPEN'),
  amount: z.number().int(),
  currency: CurrencySchema,
  description: z.string(),
  dueAt: z.iso.datetime(),
});
export type IssueInvoiceResult = z.infer<typeof IssueInvoiceResult>;

/** "Pay now": the card payment page of the invoice's payment intent. */
export const InvoicePaymentPage = z.object({ url: z.url() });
export type InvoicePaymentPage = z.infer<typeof InvoicePaymentPage>;
