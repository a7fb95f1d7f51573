// The admin console's form contracts, safe to import in the browser (zod and pure modules only): the console's
// forms and the server's procedures parse with the same schemas, so their limits are one definition.
export { Email, Name, Slug } from './common/schemas.ts';
export { AllowedOrigin, CreateAppInput, UpdateAppInput, ReturnUrl, RateLimitPerMinute, type AppView } from './apps/schemas.ts';
export { AdminCreatePlanInput, AdminUpdatePlanInput, SetPlanActiveInput, StripePriceId, type AdminPlanView } from './plans/admin-schemas.ts';
export { AdminLoginInput, ChangeOwnPasswordInput, CreateAdminInput, Password, AdminRoleSchema, type AdminView } from './admins/schemas.ts';
export { formatMoney, CURRENCIES, type Currency } from './money.ts';
export * from './metrics/schemas.ts';
// The Customers page, its detail page and the detail page's actions; the Subscriptions list and the Audit Log.
export { SearchCustomersInput, type AdminCustomerView, type AdminInvoiceView, type CustomerDetail } from './customers/admin-schemas.ts';
export {
  ExtendSubscriptionInput,
  GrantToCustomerInput,
  ListSubscriptionsInput,
  type AdminSubscriptionView,
  type SubscriptionPage,
} from './subscriptions/admin-schemas.ts';
export { SUBSCRIPTION_STATUSES } from './subscriptions/schemas.ts';
export { RecordPaymentInput, RefundFormInput, IssueInvoiceInput, PAYMENT_METHODS, PAYMENT_METHOD_LABELS } from './invoices/schemas.ts';
export { parseMajorUnits, toMajorUnitsText } from './money.ts';
export type { RefundView } from './refunds/schemas.ts';
export { ACTOR_TYPES, ListAuditInput, type AuditEntryView, type AuditPage } from './audit/schemas.ts';
// The API tokens page and the all-apps Transactions view.
export {
  CreateOperatorTokenInput,
  OperatorTokenScope,
  OperatorTransactionsQuery,
  TransactionKind,
  TransactionStatus,
  type CreatedOperatorToken,
  type OperatorTokenView,
  type TransactionPage,
  type TransactionView,
} from './operators/schemas.ts';
// The customer page's wallets: "Adjust wallet" and "Refund deposit".
export { AdjustWalletFormInput, RefundDepositInput, type WalletEntryView, type WalletView } from './wallets/schemas.ts';
// An app's Stripe settings page.
export { PutStripeConfigInput, StripeModeKeysInput, type StripeConfigView, type StripeMode } from './stripe-accounts/schemas.ts';
