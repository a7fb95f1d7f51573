import { describe, expect, it } from 'vitest';
import { AquorisBilling } from '../client.ts';
import { AquorisBillingError, NotFoundError } from '../errors.ts';
import { apiError, fakeFetch, json } from '../testing/fake-fetch.ts';

const INTENT = { id: 'pi_1', invoiceId: 'inv 1/2', clientSecret: 'pi_1_secret_x', amount: 150000, currency: 'thb', status: 'requires_payment_method' } as const;

function client(replies: Parameters<typeof fakeFetch>[0]) {
  const fetch = fakeFetch(replies);
  return { fetch, billing: new AquorisBilling({ apiKey: 'sk_live_123', appSlug: 'vega', baseUrl: 'https://billing.test', fetch, maxRetries: 2 }) };
}

describe('invoices.createPaymentIntent', () => {
  it('POSTs to the invoice path (encoded) with no body and returns the intent', async () => {
    const { fetch, billing } = client([json(200, INTENT)]);
    await expect(billing.invoices.createPaymentIntent('inv 1/2')).resolves.toEqual(INTENT);
    expect(fetch.requests[0]).toMatchObject({ method: 'POST', url: 'https://billing.test/api/v1/invoices/inv%201%2F2/payment-intent' });
    expect(fetch.requests[0]?.body).toBeUndefined();
  });

  it('is retried on a 503 (the same intent comes back), never on a 409', async () => {
    const retried = client([apiError(503, 'SERVICE_UNAVAILABLE', 'down'), json(200, INTENT)]);
    await expect(retried.billing.invoices.createPaymentIntent('inv_1')).resolves.toEqual(INTENT);
    expect(retried.fetch.requests).toHaveLength(2);
    const paid = client([apiError(409, 'INVOICE_ALREADY_PAID', 'This invoice is already paid')]);
    const error = await paid.billing.invoices.createPaymentIntent('inv_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AquorisBillingError);
    expect(error).toMatchObject({ status: 409, code: 'INVOICE_ALREADY_PAID' });
    expect(paid.fetch.requests).toHaveLength(1);
  });

  it("another app's invoice is a NotFoundError; an empty id is refused before any request", async () => {
    const { fetch, billing } = client([apiError(404, 'INVOICE_NOT_FOUND', 'Invoice not found')]);
    await expect(billing.invoices.createPaymentIntent('inv_other')).rejects.toBeInstanceOf(NotFoundError);
    expect(() => billing.invoices.createPaymentIntent('')).toThrow(TypeError);
    expect(fetch.requests).toHaveLength(1);
  });
});
