import { z } from 'zod';
import { CurrencySchema } from '../common/schemas.ts';

export const RefundInvoiceInput = z.strictObject({
  invoiceId: z.string().min(1).max(255),
  /** Minor units; omitted means the whole refundable remainder. */
  amount: z.number().int().positive().max(1_000_000_000).optional(),
  reason: z.string().trim().max(1024).optional(),
  /** Also cancel the invoice's subscription immediately (instead of at period end). */
  cancelSubscription: z.boolean().default(false),
});
export type RefundInvoiceInput = z.input<typeof RefundInvoiceInput>;

export const RefundView = z.object({
  id: z.string(),
  invoiceId: z.string(),
  amount: z.number().int(),
  currency: CurrencySchema,
  status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED', 'CANCELED']),
  reason: z.string().nullable(),
  stripeRefundId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type RefundView = z.infer<typeof RefundView>;

export const RefundResult = z.object({
  refund: RefundView,
  /** Set when the refund went through but the requested immediate cancellation did not. */
  warning: z.string().nullable(),
});
export type RefundResult = z.infer<typeof RefundResult>;
