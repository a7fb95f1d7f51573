import { describe, expect, it } from 'vitest';
import { AquorisBilling } from '../client.ts';
import { AquorisBillingError } from '../errors.ts';
import { apiError, fakeFetch, json } from '../testing/fake-fetch.ts';

const config = {
  account: 'own',
  testMode: true,
  test: { secretKeyLast4: 'ab12', publishableKey: 'pk_test_x', webhookSigningSecretLast4: 'cd34', setAt: '2026-12-07T10:00:00.000Z' },
  live: null,
};

function client(replies: Parameters<typeof fakeFetch>[0]) {
  const fetch = fakeFetch(replies);
  return { fetch, billing: new AquorisBilling({ apiKey: 'aqb_key', appSlug: 'vega', baseUrl: 'https://billing.test', fetch, maxRetries: 0 }) };
}

describe('billing.stripe', () => {
  it('reads, sets and deactivates the configuration with the method and path of each route', async () => {
    const { fetch, billing } = client([json(200, config), json(200, config), json(200, { ...config, account: 'platform', test: null })]);
    expect(await billing.stripe.getConfig()).toEqual(config);
    const keys = { secretKey: 'sk_test_123456789012', publishableKey: 'pk_test_123456789012', webhookSigningSecret: 'whsec_1234567890' };
    await billing.stripe.setConfig({ testMode: true, test: keys });
    expect((await billing.stripe.deactivateConfig()).account).toBe('platform');
    expect(fetch.requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', 'https://billing.test/api/v1/stripe/config'],
      ['PUT', 'https://billing.test/api/v1/stripe/config'],
      ['DELETE', 'https://billing.test/api/v1/stripe/config'],
    ]);
    expect(fetch.requests[1]!.body).toEqual({ testMode: true, test: keys });
  });

  it('validates, lists webhook URLs and plan prices, and maps a plan to a price', async () => {
    const price = { planSlug: 'pro', mode: 'live', interval: 'month', stripePriceId: 'price_1' };
    const urls = { test: 'https://billing.test/api/v1/webhooks/stripe/app/test', live: 'https://billing.test/api/v1/webhooks/stripe/app/live' };
    const { fetch, billing } = client([
      json(200, { valid: true, accountId: 'acct_1', mode: 'live' }),
      json(200, urls),
      json(200, { data: [price] }),
      json(200, price),
    ]);
    expect(await billing.stripe.validateConfig({ mode: 'live' })).toEqual({ valid: true, accountId: 'acct_1', mode: 'live' });
    expect(await billing.stripe.webhookUrls()).toEqual(urls);
    expect(await billing.stripe.listPlanPrices()).toEqual([price]);
    expect(await billing.stripe.setPlanPrice({ planSlug: 'pro', mode: 'live', stripePriceId: 'price_1' })).toEqual(price);
    expect(fetch.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'POST /api/v1/stripe/config/validate',
      'GET /api/v1/stripe/webhook-urls',
      'GET /api/v1/stripe/plan-prices',
      'PUT /api/v1/stripe/plan-prices',
    ]);
  });

  it('raises the error class of the status with the code: a refused key, a mismatched price', async () => {
    const { billing } = client([
      apiError(422, 'STRIPE_KEY_INVALID', 'Stripe refused the test key ending in ab12'),
      apiError(400, 'STRIPE_KEY_MODE_MISMATCH', 'test.secretKey: a test-mode key must start with sk_test_ or rk_test_'),
      apiError(409, 'STRIPE_PRICE_MISMATCH', 'Stripe price price_1 is 100'),
    ]);
    await expect(billing.stripe.validateConfig({ mode: 'test' })).rejects.toMatchObject({ code: 'STRIPE_KEY_INVALID', status: 422 });
    const mismatch = billing.stripe.setConfig({
      test: { secretKey: 'sk_live_1234567890', publishableKey: 'pk_test_1234567890', webhookSigningSecret: 'whsec_1234567890' },
    });
    await expect(mismatch).rejects.toMatchObject({ code: 'STRIPE_KEY_MODE_MISMATCH', status: 400 });
    const price = billing.stripe.setPlanPrice({ planSlug: 'pro', mode: 'test', stripePriceId: 'price_1' });
    await expect(price).rejects.toBeInstanceOf(AquorisBillingError);
  });
});
