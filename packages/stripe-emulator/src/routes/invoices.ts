import type Stripe from 'stripe';
import { atCustomerTime } from '../billing/customer-time.ts';
import { previewInvoice } from '../billing/invoice-preview.ts';
import { attemptInvoicePayment, finalizeInvoice, subscriptionIdOf } from '../billing/invoices.ts';
import { applyPaymentOutcome } from '../billing/subscription-lifecycle.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import { matchesCreated, paginate } from '../core/list.ts';
import { CREATED_PARAM, EXPAND_ONLY, LIST_PARAMS, type ParamShape } from '../core/params.ts';
import type { ApiRoutes } from '../http/api-routes.ts';

const INVOICE_PREVIEW = {
  ...EXPAND_ONLY,
  subscription: 'value',
  customer: 'value',
  subscription_details: {
    items: [{ id: 'value', price: 'value', quantity: 'value', deleted: 'value' }],
    proration_behavior: 'value',
    proration_date: 'value',
  },
} as const satisfies ParamShape;

export function registerInvoiceRoutes(api: ApiRoutes, ctx: Ctx): void {
  const { store } = ctx;

  api.post('/v1/invoices/create_preview', { stripe: 'InvoiceCreatePreviewParams', params: INVOICE_PREVIEW }, ({ params }) => {
    const subscription = params.string('subscription');
    const customer = (subscription ? store.subscriptions.get(subscription)?.customer : undefined) ?? params.string('customer');
    return atCustomerTime(ctx, typeof customer === 'string' ? customer : customer?.id, () => previewInvoice(ctx, params));
  });
  api.get('/v1/invoices/:id', { stripe: 'InvoiceRetrieveParams', params: EXPAND_ONLY }, ({ path }) => store.invoices.getOrThrow(path.id ?? ''));
  api.get('/v1/invoices/:id/lines', { stripe: 'InvoiceListLineItemsParams', params: LIST_PARAMS }, ({ params, path }) => {
    const invoice = store.invoices.getOrThrow(path.id ?? '');
    return paginate(invoice.lines.data, params, `/v1/invoices/${invoice.id}/lines`);
  });
  const invoiceList = { ...LIST_PARAMS, ...CREATED_PARAM, customer: 'value', subscription: 'value', status: 'value' } as const;
  api.get('/v1/invoices', { stripe: 'InvoiceListParams', params: invoiceList }, ({ params }) => {
    const customer = params.string('customer');
    const subscription = params.string('subscription');
    const status = params.string('status');
    const items = store.invoices
      .newestFirst()
      .filter(
        (i) =>
          (!customer || i.customer === customer) &&
          (!subscription || subscriptionIdOf(i) === subscription) &&
          (!status || i.status === status) &&
          matchesCreated(i.created, params),
      );
    return paginate(items, params, '/v1/invoices');
  });

  // Manual collection (the hosted invoice page's "Pay" does the same). A decline answers 402
  // after the failure events are emitted; success brings a past_due subscription back to active.
  api.post('/v1/invoices/:id/pay', { stripe: 'InvoicePayParams', params: { ...EXPAND_ONLY, payment_method: 'value' } }, ({ params, path }) => {
    const invoice = store.invoices.getOrThrow(path.id ?? '');
    return atCustomerTime(ctx, typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id, () =>
      payInvoice(invoice, params.string('payment_method')),
    );
  });
  const payInvoice = (invoice: Stripe.Invoice, paymentMethod: string | undefined) => {
    if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid', undefined, 'invoice_unexpected_state');
    if (invoice.status !== 'open' && invoice.status !== 'draft') {
      throw invalidRequest(`You can only pay an invoice that is open; this one is ${invoice.status}.`, undefined, 'invoice_unexpected_state');
    }
    if (paymentMethod) store.paymentMethods.getOrThrow(paymentMethod, 'payment_method');
    const batch = ctx.events.batch();
    if (invoice.status === 'draft') {
      finalizeInvoice(ctx, invoice);
      batch.add('invoice.finalized', invoice);
    }
    const result = attemptInvoicePayment(ctx, invoice, batch, paymentMethod ? { paymentMethod } : {});
    const subId = subscriptionIdOf(invoice);
    const sub = subId ? store.subscriptions.get(subId) : undefined;
    if (sub && result.ok) applyPaymentOutcome(ctx, sub, invoice, result, batch);
    batch.commit();
    if (result.error) throw result.error;
    return invoice;
  };

  api.get('/v1/invoice_payments/:id', { stripe: 'InvoicePaymentRetrieveParams', params: EXPAND_ONLY }, ({ path }) =>
    store.invoicePayments.getOrThrow(path.id ?? ''),
  );
  const paymentList = { ...LIST_PARAMS, ...CREATED_PARAM, invoice: 'value', status: 'value', payment: { type: 'value', payment_intent: 'value' } } as const;
  api.get('/v1/invoice_payments', { stripe: 'InvoicePaymentListParams', params: paymentList }, ({ params }) => {
    const invoice = params.string('invoice');
    const status = params.string('status');
    const paymentIntent = params.object('payment')?.string('payment_intent');
    const items = store.invoicePayments
      .newestFirst()
      .filter((p) => (!invoice || p.invoice === invoice) && (!status || p.status === status) && (!paymentIntent || p.payment.payment_intent === paymentIntent));
    return paginate(items, params, '/v1/invoice_payments');
  });
}
