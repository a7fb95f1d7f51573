import { describe, expect, it } from 'vitest';
import { AquorisBilling } from './client.ts';
import { BadRequestError, ConflictError, NotFoundError } from './errors.ts';
import { ELIGIBLE, apiError, fakeFetch, json } from './testing/fake-fetch.ts';

function client(replies: Parameters<typeof fakeFetch>[0], cache = false) {
  const fetch = fakeFetch(replies);
  return { fetch, billing: new AquorisBilling({ apiKey: 'sk_live_123', appSlug: 'vega', fetch, cache, maxRetries: 0 }) };
}

const VERIFIED = {
  status: 'complete',
  externalUserId: 'user/1',
  subscription: {
    id: 'cm5sub',
    status: 'ACTIVE',
    plan: { slug: 'pro', name: 'PRO', interval: 'month' },
    currentPeriodEnd: '2026-05-06T00:00:00.000Z',
    cancelAtPeriodEnd: false,
    source: 'CHECKOUT',
  },
} as const;

describe('customers.createPortalSession', () => {
  it('POSTs the returnUrl to the encoded customer path and returns { url }', async () => {
    const { billing, fetch } = client([json(200, { url: 'https://billing.stripe.com/p/session/x' })]);
    const session = await billing.customers.createPortalSession('user/1', { returnUrl: 'https://vega.aquoris.ai/settings' });
    expect(session).toEqual({ url: 'https://billing.stripe.com/p/session/x' });
    expect(fetch.requests[0]).toMatchObject({
      method: 'POST',
      url: 'https://payment.aquoris.ai/api/v1/customers/user%2F1/portal-session',
      body: { returnUrl: 'https://vega.aquoris.ai/settings' },
    });
  });

  it('throws BadRequestError for a returnUrl off the allowlist, NotFoundError and ConflictError with their codes', async () => {
    const { billing } = client([
      apiError(400, 'REDIRECT_NOT_ALLOWED', "returnUrl: https://evil.com is not one of the app's allowed origins"),
      apiError(404, 'CUSTOMER_NOT_FOUND', 'No customer "u" in this app'),
      apiError(409, 'NO_BILLING_ACCOUNT', 'Customer "u" has no Stripe customer yet'),
    ]);
    const params = { returnUrl: 'https://evil.com' };
    await expect(billing.customers.createPortalSession('u', params)).rejects.toSatisfy(
      (e) => e instanceof BadRequestError && e.code === 'REDIRECT_NOT_ALLOWED' && e.status === 400 && e.message.startsWith('returnUrl:'),
    );
    await expect(billing.customers.createPortalSession('u', params)).rejects.toBeInstanceOf(NotFoundError);
    await expect(billing.customers.createPortalSession('u', params)).rejects.toSatisfy((e) => e instanceof ConflictError && e.code === 'NO_BILLING_ACCOUNT');
  });
});

describe('checkout.verify', () => {
  it('GETs the session id as a query parameter and returns the subscription', async () => {
    const { billing, fetch } = client([json(200, VERIFIED)]);
    await expect(billing.checkout.verify('cs_test_abc')).resolves.toEqual(VERIFIED);
    expect(fetch.requests[0]).toMatchObject({ method: 'GET', url: 'https://payment.aquoris.ai/api/v1/checkout/verify?session_id=cs_test_abc' });
  });

  it('refuses anything but a cs_ id before sending', async () => {
    const { billing, fetch } = client([]);
    for (const bad of ['', 'cs_', 'cs_a&x=1', 'sub_123', 42 as unknown as string]) await expect(billing.checkout.verify(bad)).rejects.toThrow(TypeError);
    expect(fetch.requests).toHaveLength(0);
  });

  it('throws ConflictError CHECKOUT_NOT_COMPLETED while the session is open', async () => {
    const { billing } = client([apiError(409, 'CHECKOUT_NOT_COMPLETED', 'Checkout Session cs_x is open: the customer has not paid yet')]);
    await expect(billing.checkout.verify('cs_x')).rejects.toSatisfy((e) => e instanceof ConflictError && e.code === 'CHECKOUT_NOT_COMPLETED');
  });

  it("forgets the user's cached eligibility, so the next read shows the new subscription", async () => {
    const NONE = { base: null, addons: [] };
    const { billing, fetch } = client([json(200, NONE), json(200, VERIFIED), json(200, ELIGIBLE)], true);
    expect(await billing.customers.getSubscription('user/1')).toEqual(NONE);
    await billing.checkout.verify('cs_test_abc');
    expect(await billing.customers.getSubscription('user/1')).toEqual(ELIGIBLE);
    expect(fetch.requests).toHaveLength(3);
  });
});
