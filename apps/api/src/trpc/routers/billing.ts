import {
  BillingInvoiceList,
  BillingOverview,
  BillingPaymentMethod,
  BillingPlanList,
  BillingSubscription,
  BillingSubscriptionResult,
  CheckoutInput,
  CheckoutResult,
  CheckoutStatusInput,
  CheckoutStatusResult,
  ConfirmPlanChangeInput,
  confirmPlanChange,
  createCheckout,
  createPortalSession,
  getBillingPaymentMethod,
  getBillingSubscription,
  getCheckoutStatus,
  getSubscriberOverview,
  InvoicePaymentIntentParams,
  InvoicePaymentPage,
  listBillingInvoices,
  startInvoicePayment,
  listBillingPlans,
  PlanChangeInput,
  PlanChangePreview,
  PortalResult,
  previewPlanChange,
  setCancelAtPeriodEnd,
  verifyCheckout,
  VerifyCheckoutInput,
  VerifyCheckoutResult,
  CreateDepositResponse,
  SubscriberDepositInput,
  SubscriberVerifyDepositInput,
  SubscriberWalletInput,
  VerifyDepositResponse,
  WalletView,
  getOwnWallet,
  startOwnDeposit,
  verifyOwnDeposit,
} from '@aquoris/core';
import { router, subscriberProcedure } from '../init.ts';

/** The subscriber contract (packages/core/src/billing/schemas.ts): each procedure parses, calls one core service, and checks its output. */
export const billingRouter = router({
  /** Who the subscriber is, which app they came from, and where "Back to app" goes. */
  overview: subscriberProcedure.output(BillingOverview).query(({ ctx }) => getSubscriberOverview(ctx.deps, ctx.actor, ctx.session)),

  plans: subscriberProcedure.output(BillingPlanList).query(({ ctx }) => listBillingPlans(ctx.deps, ctx.actor)),

  invoices: subscriberProcedure.output(BillingInvoiceList).query(({ ctx }) => listBillingInvoices(ctx.deps, ctx.actor)),

  /** "Pay now" on an open invoice: the card page of its payment intent (reused on every click). */
  payInvoice: subscriberProcedure
    .input(InvoicePaymentIntentParams)
    .output(InvoicePaymentPage)
    .mutation(({ ctx, input }) => startInvoicePayment(ctx.deps, ctx.actor, input)),

  /** The card on file (brand, last 4, expiry), read from Stripe. */
  paymentMethod: subscriberProcedure.output(BillingPaymentMethod).query(({ ctx }) => getBillingPaymentMethod(ctx.deps, ctx.actor)),

  subscription: router({
    get: subscriberProcedure.output(BillingSubscriptionResult).query(({ ctx }) => getBillingSubscription(ctx.deps, ctx.actor)),
    cancel: subscriberProcedure.output(BillingSubscription).mutation(({ ctx }) => setCancelAtPeriodEnd(ctx.deps, ctx.actor, true)),
    resume: subscriberProcedure.output(BillingSubscription).mutation(({ ctx }) => setCancelAtPeriodEnd(ctx.deps, ctx.actor, false)),
  }),

  checkout: router({
    create: subscriberProcedure
      .input(CheckoutInput)
      .output(CheckoutResult)
      .mutation(({ ctx, input }) => createCheckout(ctx.deps, ctx.actor, input)),
    verify: subscriberProcedure
      .input(VerifyCheckoutInput)
      .output(VerifyCheckoutResult)
      .mutation(({ ctx, input }) => verifyCheckout(ctx.deps, ctx.actor, input)),
    /** Polled by the confirmation page: our records only, no Stripe call. */
    status: subscriberProcedure
      .input(CheckoutStatusInput)
      .output(CheckoutStatusResult)
      .query(({ ctx, input }) => getCheckoutStatus(ctx.deps, ctx.actor, input)),
  }),

  planChange: router({
    preview: subscriberProcedure
      .input(PlanChangeInput)
      .output(PlanChangePreview)
      .query(({ ctx, input }) => previewPlanChange(ctx.deps, ctx.actor, input)),
    confirm: subscriberProcedure
      .input(ConfirmPlanChangeInput)
      .output(BillingSubscription)
      .mutation(({ ctx, input }) => confirmPlanChange(ctx.deps, ctx.actor, input)),
  }),

  /** The prepaid wallet: balances and history, "Add funds" (Checkout in payment mode) and its verify on return. */
  wallet: router({
    get: subscriberProcedure
      .input(SubscriberWalletInput)
      .output(WalletView)
      .query(({ ctx, input }) => getOwnWallet(ctx.deps, ctx.actor, input)),
    deposit: subscriberProcedure
      .input(SubscriberDepositInput)
      .output(CreateDepositResponse)
      .mutation(({ ctx, input }) => startOwnDeposit(ctx.deps, ctx.actor, input)),
    verify: subscriberProcedure
      .input(SubscriberVerifyDepositInput)
      .output(VerifyDepositResponse)
      .mutation(({ ctx, input }) => verifyOwnDeposit(ctx.deps, ctx.actor, input)),
  }),

  portal: router({
    create: subscriberProcedure.output(PortalResult).mutation(({ ctx }) => createPortalSession(ctx.deps, ctx.actor)),
  }),
});
