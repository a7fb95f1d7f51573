import { describe, expect, it } from 'vitest';
import { AquorisBilling } from './client.ts';
import { AquorisBillingError, InsufficientFundsError, NotFoundError } from './errors.ts';
import { apiError, fakeFetch, json } from './testing/fake-fetch.ts';

function client(replies: Parameters<typeof fakeFetch>[0]) {
  const fetch = fakeFetch(replies);
  return { fetch, billing: new AquorisBilling({ apiKey: 'sk_live_123', appSlug: 'vega', fetch, maxRetries: 0 }) };
}

const ENTRY = {
  id: 'e1',
  kind: 'DEBIT',
  amountCents: -300,
  currency: 'usd',
  balanceAfterCents: 2200,
  description: 'Tool call',
  createdAt: '2026-05-06T00:00:00.000Z',
} as const;

describe('wallets', () => {
  it('deposit POSTs the body to the customer wallet and returns the Checkout URL', async () => {
    const { billing, fetch } = client([json(200, { url: 'https://checkout.stripe.com/c/pay/cs_1' })]);
    const params = {
      amountCents: 2500,
      currency: 'usd',
      successUrl: 'https://vega.aquoris.ai/w?session_id={CHECKOUT_SESSION_ID}',
      cancelUrl: 'https://vega.aquoris.ai/w',
    } as const;
    await expect(billing.wallets.deposit('user/1', params)).resolves.toEqual({ url: 'https://checkout.stripe.com/c/pay/cs_1' });
    expect(fetch.requests[0]).toMatchObject({ method: 'POST', url: 'https://payment.aquoris.ai/api/v1/customers/user%2F1/wallet/deposits', body: params });
  });

  it('verifyDeposit sends the session id in the query string, encoded', async () => {
    const { billing, fetch } = client([json(200, { deposited: true, amountCents: 2500, currency: 'usd' })]);
    await expect(billing.wallets.verifyDeposit('cs_test_a&b')).resolves.toEqual({ deposited: true, amountCents: 2500, currency: 'usd' });
    expect(fetch.requests[0]).toMatchObject({ method: 'GET', url: 'https://payment.aquoris.ai/api/v1/wallet/deposits/verify?session_id=cs_test_a%26b' });
    await expect(billing.wallets.verifyDeposit('')).rejects.toThrow(TypeError);
  });

  it('debit returns the entry and balance; 402 is an InsufficientFundsError and 409 keeps its code', async () => {
    const { billing, fetch } = client([
      json(200, { entry: ENTRY, balanceCents: 2200 }),
      apiError(402, 'INSUFFICIENT_FUNDS', 'Insufficient funds: the usd wallet holds $1.00 (balanceCents 100); this needs $3.00'),
      apiError(409, 'IDEMPOTENCY_KEY_REUSED', 'idempotencyKey "k" was used already with other parameters'),
    ]);
    const params = { amountCents: 300, currency: 'usd', description: 'Tool call', idempotencyKey: 'k' } as const;
    await expect(billing.wallets.debit('u1', params)).resolves.toEqual({ entry: ENTRY, balanceCents: 2200 });
    const short = await billing.wallets.debit('u1', params).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(InsufficientFundsError);
    expect(short).toMatchObject({ status: 402, code: 'INSUFFICIENT_FUNDS', message: expect.stringContaining('balanceCents 100') });
    const reused = await billing.wallets.debit('u1', params).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(AquorisBillingError);
    expect(reused).not.toBeInstanceOf(InsufficientFundsError);
    expect(reused).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(fetch.requests).toHaveLength(3);
    expect(fetch.requests[0]).toMatchObject({ method: 'POST', url: 'https://payment.aquoris.ai/api/v1/customers/u1/wallet/debits', body: params });
  });

  it('get pages with currency, cursor and limit in the query, and a 404 is a NotFoundError', async () => {
    const page = { balances: [{ currency: 'usd', balanceCents: 2200 }], history: [ENTRY], nextCursor: 'abc' };
    const { billing, fetch } = client([json(200, page), json(200, page), apiError(404, 'CUSTOMER_NOT_FOUND', 'No customer "x" in this app')]);
    await expect(billing.wallets.get('u1')).resolves.toEqual(page);
    await billing.wallets.get('u1', { currency: 'usd', cursor: 'abc', limit: 5 });
    await expect(billing.wallets.get('x')).rejects.toBeInstanceOf(NotFoundError);
    expect(fetch.requests.map((r) => r.url)).toEqual([
      'https://payment.aquoris.ai/api/v1/customers/u1/wallet',
      'https://payment.aquoris.ai/api/v1/customers/u1/wallet?currency=usd&cursor=abc&limit=5',
      'https://payment.aquoris.ai/api/v1/customers/x/wallet',
    ]);
  });
});
