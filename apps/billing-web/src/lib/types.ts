/**
 * The subscriber contract (packages/core/src/billing/schemas.ts). Type-only
 * imports: erased at build time, so nothing of core reaches the browser.
 */
export type {
  BillingInvoice,
  BillingOverview,
  BillingPlan,
  BillingSubscription,
  BillingPaymentMethod,
  CheckoutResult,
  EndedSubscription,
  PlanChangePreview,
  VerifyCheckoutResult,
  WalletEntryView,
  WalletView,
} from '@aquoris/core';
