import {
  CustomerDetail,
  CustomerPage,
  GetCustomerInput,
  IssueInvoiceInput,
  IssueInvoiceResult,
  issueInvoice,
  RecordPaymentInput,
  RecordPaymentResult,
  RefundFormInput,
  RefundResult,
  SearchCustomersInput,
  getCustomerDetail,
  recordManualPayment,
  refundInvoiceFromForm,
  searchCustomers,
} from '@aquoris/core';
import { router } from '../../init.ts';
import { adminMutation, adminProcedure } from './procedures.ts';

/** Customers page and detail, with the detail page's money actions (Record Payment, Issue invoice, Refund). */
export const adminCustomersRouter = router({
  search: adminProcedure
    .input(SearchCustomersInput)
    .output(CustomerPage)
    .query(({ ctx, input }) => searchCustomers(ctx.deps, input)),
  get: adminProcedure
    .input(GetCustomerInput)
    .output(CustomerDetail)
    .query(({ ctx, input }) => getCustomerDetail(ctx.deps, input)),
  recordPayment: adminMutation
    .input(RecordPaymentInput)
    .output(RecordPaymentResult)
    .mutation(({ ctx, input }) => recordManualPayment(ctx.deps, ctx.actor, input)),
  issueInvoice: adminMutation
    .input(IssueInvoiceInput)
    .output(IssueInvoiceResult)
    .mutation(({ ctx, input }) => issueInvoice(ctx.deps, ctx.actor, input)),
  refund: adminMutation
    .input(RefundFormInput)
    .output(RefundResult)
    .mutation(({ ctx, input }) => refundInvoiceFromForm(ctx.deps, ctx.actor, input)),
});
