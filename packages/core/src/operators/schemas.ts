import { z } from 'zod';
import { SlugReference } from '../common/schemas.ts';
import { ActiveSubscriptionsCard, ChurnCard, Month, MrrCard, RevenueCard } from '../metrics/schemas.ts';
import { Cursor } from '../pagination.ts';
import { AdminSubscriptionView } from '../subscriptions/admin-schemas.ts';
import { SubscriptionStatusSchema } from '../subscriptions/schemas.ts';

// Operator API tokens (admin console "API tokens", CLI tokens:*) and the cross-app /api/v1/admin routes they open.

export const OPERATOR_TOKEN_PREFIX = 'aqb_op_';
export const OperatorTokenScope = z.enum(['READ_ONLY', 'READ_WRITE']).meta({ description: 'READ_ONLY: GET routes only; READ_WRITE: every operator route' });
export type OperatorTokenScope = z.infer<typeof OperatorTokenScope>;

export const CreateOperatorTokenInput = z.strictObject({
  name: z.string().trim().min(1, 'enter a name').max(128, 'at most 128 characters'),
  scope: OperatorTokenScope,
});
export type CreateOperatorTokenInput = z.input<typeof CreateOperatorTokenInput>;

export const RevokeOperatorTokenInput = z.strictObject({ id: z.string().min(1).max(64) });
export type RevokeOperatorTokenInput = z.infer<typeof RevokeOperatorTokenInput>;

export const OperatorTokenView = z.object({
  id: z.string(),
  name: z.string(),
  scope: OperatorTokenScope,
  /** The token's first characters, to recognise it; the token itself is shown once, when created. */
  tokenPrefix: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type OperatorTokenView = z.infer<typeof OperatorTokenView>;

export const CreatedOperatorToken = z.object({ token: OperatorTokenView, secret: z.string() });
export type CreatedOperatorToken = z.infer<typeof CreatedOperatorToken>;

/** Query strings arrive as text: numbers are coerced, unknown parameters refused. */
const Limit = z.coerce.number().int().min(1).max(200).default(50);
const IsoTime = z.iso.datetime({ offset: true });
/** Stripe's mode, as each stored object's `livemode` says. */
export const Mode = z.enum(['test', 'live']).meta({ description: "test or live: the stored objects' Stripe livemode (manual rows are test)" });

export const OperatorSubscriptionsQuery = z
  .strictObject({
    app: SlugReference.optional().meta({ description: 'Only this app (slug)' }),
    status: SubscriptionStatusSchema.optional(),
    mode: Mode.optional(),
    createdFrom: IsoTime.optional().meta({ description: 'Created at or after (ISO 8601)' }),
    createdTo: IsoTime.optional().meta({ description: 'Created before (ISO 8601)' }),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .meta({ id: 'OperatorSubscriptionsQuery' });
export type OperatorSubscriptionsQuery = z.input<typeof OperatorSubscriptionsQuery>;

export const OperatorSubscriptionPage = z
  .object({ subscriptions: z.array(AdminSubscriptionView), nextCursor: z.string().nullable() })
  .meta({ id: 'OperatorSubscriptionPage' });
export type OperatorSubscriptionPage = z.infer<typeof OperatorSubscriptionPage>;

export const TransactionKind = z.enum(['invoice', 'payment', 'refund']);
export const TransactionStatus = z.enum(['DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE', 'PENDING', 'SUCCEEDED', 'FAILED', 'CANCELED']);

export const OperatorTransactionsQuery = z
  .strictObject({
    app: SlugReference.optional().meta({ description: 'Only this app (slug)' }),
    kind: TransactionKind.optional(),
    status: TransactionStatus.optional().meta({ description: "An invoice's or refund's status; a payment's is PAID" }),
    mode: Mode.optional(),
    from: IsoTime.optional().meta({ description: 'At or after (ISO 8601)' }),
    to: IsoTime.optional().meta({ description: 'Before (ISO 8601)' }),
    cursor: Cursor.optional(),
    limit: Limit,
  })
  .meta({ id: 'OperatorTransactionsQuery' });
export type OperatorTransactionsQuery = z.input<typeof OperatorTransactionsQuery>;

export const TransactionView = z.object({
  /** `<kind>_<invoice or refund id>`. */
  id: z.string(),
  kind: TransactionKind,
  invoiceId: z.string(),
  app: z.string(),
  customer: z.object({ id: z.string(), externalUserId: z.string() }),
  status: TransactionStatus,
  /** Minor units. */
  amount: z.number().int(),
  currency: z.string(),
  /** The invoice's or refund's creation, the payment's payment time. */
  createdAt: z.iso.datetime(),
  livemode: z.boolean(),
});
export type TransactionView = z.infer<typeof TransactionView>;

export const TransactionPage = z.object({ transactions: z.array(TransactionView), nextCursor: z.string().nullable() }).meta({ id: 'TransactionPage' });
export type TransactionPage = z.infer<typeof TransactionPage>;

export const OperatorAppView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  payment: z.object({
    /** platform: the service's own Stripe account (STRIPE_SECRET_KEY); own: the app's (issue 17 part 1). */
    account: z.enum(['platform', 'own']),
    mode: Mode,
    /** Whether the account's keys are configured on this server (the platform key is checked at start-up). */
    keysValid: z.boolean(),
    lastWebhookAt: z.iso.datetime().nullable(),
  }),
  createdAt: z.iso.datetime(),
});
export type OperatorAppView = z.infer<typeof OperatorAppView>;

export const OperatorAppList = z.object({ apps: z.array(OperatorAppView) }).meta({ id: 'OperatorAppList' });
export type OperatorAppList = z.infer<typeof OperatorAppList>;

export const OperatorStatsQuery = z
  .strictObject({
    app: SlugReference.optional().meta({ description: 'Only this app (slug); every app when absent' }),
    month: Month.optional().meta({ description: 'YYYY-MM; the current month when absent' }),
  })
  .meta({ id: 'OperatorStatsQuery' });
export type OperatorStatsQuery = z.input<typeof OperatorStatsQuery>;

/** The Dashboard's four cards, by the same definitions (docs/metrics.md). */
export const OperatorStats = z
  .object({ app: z.string().nullable(), mrr: MrrCard, activeSubscriptions: ActiveSubscriptionsCard, churn: ChurnCard, revenue: RevenueCard })
  .meta({ id: 'OperatorStats' });
export type OperatorStats = z.infer<typeof OperatorStats>;
