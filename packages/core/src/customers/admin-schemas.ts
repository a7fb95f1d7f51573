import { z } from 'zod';
import { AuditEntryView } from '../audit/schemas.ts';
import { CurrencySchema, SlugReference } from '../common/schemas.ts';
import { Cursor, PageSize } from '../pagination.ts';
import { RefundView } from '../refunds/schemas.ts';
import { AdminSubscriptionView } from '../subscriptions/admin-schemas.ts';

/** "Search customers": a prefix of the external user id, email or name (case-insensitive), optionally in one app. */
export const SearchCustomersInput = z.strictObject({
  query: z.string().trim().max(320).optional(),
  appSlug: SlugReference.optional(),
  cursor: Cursor.optional(),
  limit: PageSize,
});
export type SearchCustomersInput = z.input<typeof SearchCustomersInput>;

export const AdminCustomerView = z.object({
  id: z.string(),
  app: z.string(),
  externalUserId: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  stripeCustomerId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type AdminCustomerView = z.infer<typeof AdminCustomerView>;

export const CustomerPage = z.object({ customers: z.array(AdminCustomerView), nextCursor: z.string().nullable() });
export type CustomerPage = z.infer<typeof CustomerPage>;

export const GetCustomerInput = z.strictObject({ customerId: z.string().min(1).max(255) });

export const AdminInvoiceView = z.object({
  id: z.string(),
  source: z.enum(['STRIPE', 'MANUAL', 'ISSUED']),
  status: z.enum(['DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE']),
  amount: z.number().int(),
  amountPaid: z.number().int(),
  amountRefunded: z.number().int(),
  /** What a new refund may still take: paid, minus refunds pending or done. */
  refundable: z.number().int(),
  currency: CurrencySchema,
  description: z.string().nullable(),
  plan: z.string().nullable(),
  subscriptionId: z.string().nullable(),
  paymentMethod: z.string().nullable(),
  paymentReference: z.string().nullable(),
  stripeInvoiceId: z.string().nullable(),
  paidAt: z.iso.datetime().nullable(),
  /** Issued invoices: when payment is due. */
  dueAt: z.iso.datetime().nullable(),
  /** The last failed attempt to pay it (the card's decline), until it is paid. */
  paymentFailureReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  refunds: z.array(RefundView),
});
export type AdminInvoiceView = z.infer<typeof AdminInvoiceView>;

export const CustomerDetail = z.object({
  customer: AdminCustomerView.extend({ appName: z.string() }),
  /** Current ones first (ACTIVE, TRIALING, PAST_DUE), then the rest, newest first. */
  subscriptions: z.array(AdminSubscriptionView),
  invoices: z.array(AdminInvoiceView),
  audit: z.array(AuditEntryView),
});
export type CustomerDetail = z.infer<typeof CustomerDetail>;
