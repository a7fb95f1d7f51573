import type { ColumnType } from 'kysely';
export type Generated<T> = T extends ColumnType<infer S, infer I, infer U> ? ColumnType<S, I | undefined, U> : ColumnType<T, T | undefined, T>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export const Currency = {
  thb: 'thb',
  usd: 'usd',
} as const;
export type Currency = (typeof Currency)[keyof typeof Currency];
export const PlanInterval = {
  month: 'month',
  year: 'year',
} as const;
export type PlanInterval = (typeof PlanInterval)[keyof typeof PlanInterval];
export const SubscriptionStatus = {
  ACTIVE: 'ACTIVE',
  PAST_DUE: 'PAST_DUE',
  CANCELED: 'CANCELED',
  INCOMPLETE: 'INCOMPLETE',
  TRIALING: 'TRIALING',
  UNPAID: 'UNPAID',
  PAUSED: 'PAUSED',
  EXPIRED: 'EXPIRED',
} as const;
export type SubscriptionStatus = (typeof SubscriptionStatus)[keyof typeof SubscriptionStatus];
export const SubscriptionSource = {
  CHECKOUT: 'CHECKOUT',
  MANUAL: 'MANUAL',
  TRIAL: 'TRIAL',
} as const;
export type SubscriptionSource = (typeof SubscriptionSource)[keyof typeof SubscriptionSource];
export const SubscriptionKind = {
  BASE: 'BASE',
  ADDON: 'ADDON',
} as const;
export type SubscriptionKind = (typeof SubscriptionKind)[keyof typeof SubscriptionKind];
export const InvoiceSource = {
  STRIPE: 'STRIPE',
  MANUAL: 'MANUAL',
  ISSUED: 'ISSUED',
} as const;
export type InvoiceSource = (typeof InvoiceSource)[keyof typeof InvoiceSource];
export const InvoiceStatus = {
  DRAFT: 'DRAFT',
  OPEN: 'OPEN',
  PAID: 'PAID',
  VOID: 'VOID',
  UNCOLLECTIBLE: 'UNCOLLECTIBLE',
} as const;
export type InvoiceStatus = (typeof InvoiceStatus)[keyof typeof InvoiceStatus];
export const RefundStatus = {
  PENDING: 'PENDING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELED: 'CANCELED',
} as const;
export type RefundStatus = (typeof RefundStatus)[keyof typeof RefundStatus];
export const CheckoutStatus = {
  OPEN: 'OPEN',
  COMPLETE: 'COMPLETE',
  EXPIRED: 'EXPIRED',
} as const;
export type CheckoutStatus = (typeof CheckoutStatus)[keyof typeof CheckoutStatus];
export const WalletEntryKind = {
  DEPOSIT: 'DEPOSIT',
  DEBIT: 'DEBIT',
  REFUND: 'REFUND',
  ADJUSTMENT: 'ADJUSTMENT',
} as const;
export type WalletEntryKind = (typeof WalletEntryKind)[keyof typeof WalletEntryKind];
export const StripeEventStatus = {
  RECEIVED: 'RECEIVED',
  PROCESSED: 'PROCESSED',
  FAILED: 'FAILED',
} as const;
export type StripeEventStatus = (typeof StripeEventStatus)[keyof typeof StripeEventStatus];
export const AdminRole = {
  ADMIN: 'ADMIN',
  VIEWER: 'VIEWER',
} as const;
export type AdminRole = (typeof AdminRole)[keyof typeof AdminRole];
export const ActorType = {
  ADMIN: 'ADMIN',
  APP: 'APP',
  SUBSCRIBER: 'SUBSCRIBER',
  SYSTEM: 'SYSTEM',
  STRIPE: 'STRIPE',
  CLI: 'CLI',
} as const;
export type ActorType = (typeof ActorType)[keyof typeof ActorType];
export const OperatorTokenScope = {
  READ_ONLY: 'READ_ONLY',
  READ_WRITE: 'READ_WRITE',
} as const;
export type OperatorTokenScope = (typeof OperatorTokenScope)[keyof typeof OperatorTokenScope];
export const StripeMode = {
  test: 'test',
  live: 'live',
} as const;
export type StripeMode = (typeof StripeMode)[keyof typeof StripeMode];
export const MrrMovementKind = {
  NEW: 'NEW',
  EXPANSION: 'EXPANSION',
  CONTRACTION: 'CONTRACTION',
  CHURN: 'CHURN',
  REACTIVATION: 'REACTIVATION',
} as const;
export type MrrMovementKind = (typeof MrrMovementKind)[keyof typeof MrrMovementKind];
export const SubscriberChange = {
  NEW: 'NEW',
  REACTIVATED: 'REACTIVATED',
  CHURNED: 'CHURNED',
} as const;
export type SubscriberChange = (typeof SubscriberChange)[keyof typeof SubscriberChange];
export type Admin = {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  /**
   * ADMIN may do everything; VIEWER reads only (every admin mutation answers 403).
   */
  role: Generated<AdminRole>;
  /**
   * Set when the admin is deactivated: it can no longer sign in, and its sessions end.
   */
  deactivatedAt: Timestamp | null;
  lastLoginAt: Timestamp | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type AdminSession = {
  id: string;
  adminId: string;
  /**
   * sha256 (hex) of the random session id in the cookie.
   */
  tokenHash: string;
  createdAt: Generated<Timestamp>;
  /**
   * Absolute lifetime (8 hours from sign-in); activity does not extend it.
   */
  expiresAt: Timestamp;
  revokedAt: Timestamp | null;
};
export type App = {
  id: string;
  slug: string;
  name: string;
  returnUrl: string;
  /**
   * Where the app may send users back to: exact origins and https://*.example.com wildcards (core/return-url.ts).
   */
  allowedOrigins: Generated<string[]>;
  /**
   * sha256 of the API key: what authentication looks up.
   */
  apiKeyHash: string;
  /**
   * The first characters of the key, safe to show in lists.
   */
  apiKeyPrefix: string;
  /**
   * The key encrypted with AES-256-GCM, so an admin can reveal it again.
   */
  apiKeyCiphertext: string;
  apiKeyRotatedAt: Generated<Timestamp>;
  rateLimitPerMinute: Generated<number>;
  /**
   * Test mode (the default) never uses live keys; the mode picks which of the app's own Stripe keys are used.
   */
  testMode: Generated<boolean>;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type AppStripeConfig = {
  id: string;
  appId: string;
  mode: StripeMode;
  secretKeyCiphertext: string;
  secretKeyLast4: string;
  publishableKey: string;
  webhookSecretCiphertext: string;
  webhookSecretLast4: string;
  encryptionKeyId: string;
  setAt: Timestamp;
  deactivatedAt: Timestamp | null;
  createdAt: Generated<Timestamp>;
};
export type AuditLog = {
  id: string;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Generated<unknown>;
  createdAt: Generated<Timestamp>;
};
export type CheckoutSession = {
  id: string;
  appId: string;
  customerId: string;
  planId: string;
  /**
   * The plan's price this session sells (plan_prices by planId and interval).
   */
  billingInterval: PlanInterval;
  status: Generated<CheckoutStatus>;
  stripeCheckoutSessionId: string | null;
  /**
   * Whether the Stripe object lives in live mode (false: test mode, and every row from before per-app accounts).
   */
  livemode: Generated<boolean>;
  url: string | null;
  expiresAt: Timestamp;
  completedAt: Timestamp | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type Customer = {
  id: string;
  appId: string;
  externalUserId: string;
  email: string | null;
  name: string | null;
  stripeCustomerId: string | null;
  /**
   * Whether the Stripe object lives in live mode (false: test mode, and every row from before per-app accounts).
   */
  livemode: Generated<boolean>;
  /**
   * Set when the profile changed and the linked Stripe customer has not been updated yet; cleared by the sync job. The sweeper re-queues what stays set.
   */
  stripeSyncRequestedAt: Timestamp | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type Invoice = {
  id: string;
  appId: string;
  customerId: string;
  subscriptionId: string | null;
  source: InvoiceSource;
  status: InvoiceStatus;
  amount: number;
  amountPaid: Generated<number>;
  amountRefunded: Generated<number>;
  currency: Currency;
  /**
   * What was billed, in words, fixed when the invoice is recorded (a subscription's plan can change later).
   */
  description: string | null;
  /**
   * Manual invoices: how the money arrived (bank transfer, wire, ...) and its reference.
   */
  paymentMethod: string | null;
  paymentReference: string | null;
  /**
   * Manual payments: the key the operator's form sent, so submitting it twice records one payment.
   */
  idempotencyKey: string | null;
  stripeInvoiceId: string | null;
  /**
   * Whether the Stripe object lives in live mode (false: test mode, and every row from before per-app accounts).
   */
  livemode: Generated<boolean>;
  /**
   * The payment intent that collects (or collected) this invoice: one per invoice, so concurrent "pay" calls share it.
   */
  stripePaymentIntentId: string | null;
  stripeChargeId: string | null;
  hostedInvoiceUrl: string | null;
  invoicePdfUrl: string | null;
  periodStart: Timestamp | null;
  periodEnd: Timestamp | null;
  paidAt: Timestamp | null;
  /**
   * Issued invoices: when payment is due.
   */
  dueAt: Timestamp | null;
  /**
   * The last failed attempt to pay the invoice's payment intent (Stripe's last_payment_error), cleared when it is paid.
   */
  paymentFailureReason: string | null;
  paymentFailedAt: Timestamp | null;
  /**
   * The read ticket of the newest read of the payment intent applied (the invoice's own read has stripeReadTicket).
   */
  paymentReadTicket: string | null;
  /**
   * The read ticket (a PostgreSQL transaction id, taken before the read) of the newest Stripe read applied: an older read never overwrites it.
   */
  stripeReadTicket: string | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type MetricsCustomer = {
  customerId: string;
  currency: Currency;
  appId: string;
  mrr: Generated<number>;
  active: Generated<number>;
  pastDue: Generated<number>;
  trialing: Generated<number>;
  /**
   * The customer has had MRR above 0 in this currency: a return to above 0 is a reactivation, not new.
   */
  everPaid: Generated<boolean>;
};
export type MetricsDaily = {
  appId: string;
  day: Timestamp;
  currency: Currency;
  newMrr: Generated<string>;
  expansionMrr: Generated<string>;
  contractionMrr: Generated<string>;
  churnedMrr: Generated<string>;
  reactivationMrr: Generated<string>;
  activeDelta: Generated<string>;
  pastDueDelta: Generated<string>;
  trialingDelta: Generated<string>;
  newSubscribers: Generated<string>;
  reactivatedSubscribers: Generated<string>;
  churnedSubscribers: Generated<string>;
  gross: Generated<string>;
  refunds: Generated<string>;
};
export type MetricsMonthly = {
  appId: string;
  month: Timestamp;
  currency: Currency;
  newMrr: Generated<string>;
  expansionMrr: Generated<string>;
  contractionMrr: Generated<string>;
  churnedMrr: Generated<string>;
  reactivationMrr: Generated<string>;
  activeDelta: Generated<string>;
  pastDueDelta: Generated<string>;
  trialingDelta: Generated<string>;
  newSubscribers: Generated<string>;
  reactivatedSubscribers: Generated<string>;
  churnedSubscribers: Generated<string>;
  gross: Generated<string>;
  refunds: Generated<string>;
};
export type MrrEvent = {
  id: Generated<string>;
  appId: string;
  customerId: string;
  currency: Currency;
  occurredAt: Timestamp;
  mrrBefore: number;
  mrrAfter: number;
  /**
   * The MRR movement, when MRR changed.
   */
  kind: MrrMovementKind | null;
  activeDelta: Generated<number>;
  pastDueDelta: Generated<number>;
  trialingDelta: Generated<number>;
  /**
   * The customer started, restarted or stopped paying (in any currency): set on one row of the change.
   */
  subscriberChange: SubscriberChange | null;
};
export type OperatorToken = {
  id: string;
  name: string;
  scope: OperatorTokenScope;
  /**
   * sha256 (hex) of the token: what authentication looks up.
   */
  tokenHash: string;
  /**
   * The first characters of the token, safe to show in lists.
   */
  tokenPrefix: string;
  /**
   * Who created it (admin id or CLI user), as the audit log names actors.
   */
  createdBy: string;
  lastUsedAt: Timestamp | null;
  revokedAt: Timestamp | null;
  createdAt: Generated<Timestamp>;
};
export type Plan = {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  priceAmount: number;
  currency: Currency;
  interval: PlanInterval;
  trialDays: Generated<number>;
  stripePriceId: string | null;
  stripeProductId: string | null;
  active: Generated<boolean>;
  displayOrder: Generated<number>;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type PlanPrice = {
  id: string;
  planId: string;
  interval: PlanInterval;
  amount: number;
  currency: Currency;
  stripePriceId: string | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type PlanStripePrice = {
  id: string;
  appId: string;
  mode: StripeMode;
  planId: string;
  interval: PlanInterval;
  stripePriceId: string;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type Refund = {
  id: string;
  invoiceId: string;
  amount: number;
  currency: Currency;
  status: RefundStatus;
  reason: string | null;
  stripeRefundId: string | null;
  /**
   * Whether the Stripe object lives in live mode (false: test mode, and every row from before per-app accounts).
   */
  livemode: Generated<boolean>;
  createdById: string | null;
  /**
   * The read ticket (a PostgreSQL transaction id, taken before the read) of the newest Stripe read applied: an older read never overwrites it.
   */
  stripeReadTicket: string | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type RevenueEntry = {
  /**
   * The invoice's id for its gross entry, the refund's id for a refund's.
   */
  sourceId: string;
  invoiceId: string;
  appId: string;
  currency: Currency;
  day: Timestamp;
  gross: Generated<number>;
  refunds: Generated<number>;
};
export type StripeEvent = {
  id: string;
  type: string;
  /**
   * The id of the event's data.object (subscription, invoice, charge, checkout session): events about one object are applied together.
   */
  objectId: string | null;
  /**
   * The app whose own Stripe account sent the event (the per-app endpoint); null: the platform account.
   */
  appId: string | null;
  livemode: Generated<boolean>;
  payload: unknown;
  status: Generated<StripeEventStatus>;
  attempts: Generated<number>;
  lastError: string | null;
  stripeCreatedAt: Timestamp;
  receivedAt: Generated<Timestamp>;
  processedAt: Timestamp | null;
};
export type Subscription = {
  id: string;
  appId: string;
  customerId: string;
  planId: string;
  /**
   * Which of the plan's prices this subscription is on (plan_prices by planId and interval).
   */
  billingInterval: PlanInterval;
  status: SubscriptionStatus;
  source: SubscriptionSource;
  kind: Generated<SubscriptionKind>;
  currentPeriodStart: Timestamp;
  currentPeriodEnd: Timestamp;
  trialEnd: Timestamp | null;
  cancelAtPeriodEnd: Generated<boolean>;
  canceledAt: Timestamp | null;
  endedAt: Timestamp | null;
  stripeSubscriptionId: string | null;
  /**
   * Whether the Stripe object lives in live mode (false: test mode, and every row from before per-app accounts).
   */
  livemode: Generated<boolean>;
  /**
   * Stripe's object time of the last state we applied, so a stale event never overwrites a newer one.
   */
  stripeSyncedAt: Timestamp | null;
  /**
   * The read ticket (a PostgreSQL transaction id, taken before the read) of the newest Stripe read applied: an older read never overwrites it.
   */
  stripeReadTicket: string | null;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type SubscriptionCount = {
  id: Generated<string>;
  appId: string;
  planId: string;
  status: SubscriptionStatus;
  count: string;
};
export type Wallet = {
  id: string;
  appId: string;
  customerId: string;
  currency: Currency;
  balance: Generated<number>;
  createdAt: Generated<Timestamp>;
  updatedAt: Generated<Timestamp>;
};
export type WalletEntry = {
  id: string;
  walletId: string;
  appId: string;
  kind: WalletEntryKind;
  amount: number;
  /**
   * The wallet's balance just after this entry (what a replayed debit answers with).
   */
  balanceAfter: number;
  description: string | null;
  /**
   * Debits and adjustments: the caller's key, unique in the app (like Stripe's per account), so a replay records one entry.
   */
  idempotencyKey: string | null;
  /**
   * Deposits: the Checkout Session that paid it; a session credits the wallet once.
   */
  stripeCheckoutSessionId: string | null;
  stripePaymentIntentId: string | null;
  /**
   * Refunds: the deposit entry given back; a deposit is refunded once.
   */
  refundOfEntryId: string | null;
  /**
   * The admin who adjusted or refunded.
   */
  createdById: string | null;
  createdAt: Generated<Timestamp>;
};
export type DB = {
  admin_sessions: AdminSession;
  admins: Admin;
  app_stripe_configs: AppStripeConfig;
  apps: App;
  audit_logs: AuditLog;
  checkout_sessions: CheckoutSession;
  customers: Customer;
  invoices: Invoice;
  metrics_customers: MetricsCustomer;
  metrics_daily: MetricsDaily;
  metrics_monthly: MetricsMonthly;
  mrr_events: MrrEvent;
  operator_tokens: OperatorToken;
  plan_prices: PlanPrice;
  plan_stripe_prices: PlanStripePrice;
  plans: Plan;
  refunds: Refund;
  revenue_entries: RevenueEntry;
  stripe_events: StripeEvent;
  subscription_counts: SubscriptionCount;
  subscriptions: Subscription;
  wallet_entries: WalletEntry;
  wallets: Wallet;
};
