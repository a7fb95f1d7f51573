import type { HttpClient, RequestOptions } from '../http.ts';
import type { InvoicePaymentIntent } from '../types.ts';
import { pathSegment } from './path.ts';

export class Invoices {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * The payment intent that pays an open invoice (`POST /api/v1/invoices/:invoiceId/payment-intent`): created on
   * the first call, the same one on every later call while it can still collect, so a retry is safe. Confirm it
   * in the browser with Stripe.js and `clientSecret`.
   *
   * @throws {NotFoundError} INVOICE_NOT_FOUND: no invoice of your app has this id
   * @throws {AquorisBillingError} 409 INVOICE_ALREADY_PAID, INVOICE_VOID or INVOICE_NOT_PAYABLE
   */
  createPaymentIntent(invoiceId: string, options?: RequestOptions): Promise<InvoicePaymentIntent> {
    const path = `/api/v1/invoices/${pathSegment('invoiceId', invoiceId)}/payment-intent`;
    return this.#http.request<InvoicePaymentIntent>({ method: 'POST', path }, options);
  }
}
