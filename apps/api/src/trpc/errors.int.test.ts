import { CheckoutInput, createCheckout, describeIssues, type SubscriberActor } from '@aquoris/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/index.ts';
import { openSubscriber, type Subscriber } from '../testing/subscriber.ts';

// One error shape across transports: a tRPC failure carries the code, status and message REST
// (core's toErrorBody) would give for the same AppError, plus the subscriber's userMessage.

let api: TestApi;
let app: { id: string; apiKey: string; slug: string };

beforeAll(async () => {
  api = await startTestApi();
  app = await api.createApp({ slug: 'vega' });
  await api.createPlan({ slug: 'free', name: 'Free', priceAmount: 0, currency: 'thb', interval: 'month' });
  await api.createPlan({ slug: 'pro', name: 'Pro', priceAmount: 29900, currency: 'thb', interval: 'month' });
});
afterAll(() => api?.close());

/** A raw tRPC call, to see the status and the whole error body the client gets. */
async function trpc(sub: Pick<Subscriber, 'cookie'> | null, path: string, input: unknown, method: 'GET' | 'POST' = 'POST') {
  const headers: Record<string, string> = sub ? { cookie: sub.cookie } : {};
  const res =
    method === 'GET'
      ? await fetch(`${api.baseUrl}/trpc/${path}?input=${encodeURIComponent(typeof input === 'string' ? input : JSON.stringify(input))}`, { headers })
      : await fetch(`${api.baseUrl}/trpc/${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  return { status: res.status, error: ((await res.json()) as any).error };
}

const actorOf = (sub: Subscriber): SubscriberActor => ({ type: 'subscriber', appId: app.id, customerId: sub.customerId });

describe('tRPC input errors are VALIDATION_ERROR with the line REST and core give', () => {
  it.each([
    ['an unknown field', { planSlug: 'pro', bogus: 1 }, 'unknown field bogus'],
    ['a wrong type', { planSlug: 5 }, 'planSlug: '],
    ['a missing field', {}, 'planSlug: '],
  ])('%s: 422, one readable sentence (not a JSON array of issues), the same as core', async (_, input, expected) => {
    const sub = await openSubscriber(api, app, `input-${Object.keys(input).join('-') || 'none'}`);
    const { status, error } = await trpc(sub, 'billing.checkout.create', input);
    expect(status).toBe(422);
    expect(error.data).toMatchObject({ appCode: 'VALIDATION_ERROR', code: 'UNPROCESSABLE_CONTENT', httpStatus: 422 });
    expect(error.message).toContain(expected);
    expect(error.message).toBe(describeIssues(CheckoutInput.safeParse(input).error!.issues));
    expect(() => JSON.parse(error.message)).toThrow();
    await expect(createCheckout(api.server.deps, actorOf(sub), input)).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: error.message });
  });

  it('REST answers the same mistake with the same code and the same kind of line', async () => {
    const res = await api.request('/api/v1/sessions', { method: 'POST', apiKey: app.apiKey, json: { externalUserId: 'u1', appSlug: 'vega', bogus: 1 } });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'VALIDATION_ERROR', message: 'unknown field bogus' } });
    const sub = await openSubscriber(api, app, 'same-mistake');
    const { error } = await trpc(sub, 'billing.checkout.create', { planSlug: 'pro', bogus: 1 });
    expect(error.message).toBe('unknown field bogus');
  });

  it('input that is not JSON at all is a VALIDATION_ERROR too, as a malformed REST body is', async () => {
    const sub = await openSubscriber(api, app, 'not-json');
    const { status, error } = await trpc(sub, 'billing.checkout.status', '{nope', 'GET');
    expect(status).toBe(422);
    expect(error.data.appCode).toBe('VALIDATION_ERROR');
  });
});

describe('every AppError reaches tRPC with its code, status, message and userMessage', () => {
  it('a refusal a subscriber can act on: its own code and 409, the developer message, and the sentence for people', async () => {
    await api.grantSubscription({ appSlug: 'vega', externalUserId: 'granted', planSlug: 'pro', days: 30 });
    const sub = await openSubscriber(api, app, 'granted');

    const free = await trpc(sub, 'billing.checkout.create', { planSlug: 'free' });
    expect(free.status).toBe(409);
    expect(free.error.data).toMatchObject({ appCode: 'ALREADY_SUBSCRIBED', code: 'CONFLICT', httpStatus: 409 });
    expect(free.error.data.userMessage).toBe('You already have the Pro plan: cancel it to move to Free at the end of the period.');
    expect(free.error.message).not.toBe(free.error.data.userMessage);

    const pro = await trpc(sub, 'billing.checkout.create', { planSlug: 'pro' });
    expect(pro.status).toBe(409);
    expect(pro.error.data.appCode).toBe('SUBSCRIPTION_MANAGED_BY_APP');
    expect(pro.error.data.userMessage).toMatch(
      /^Your Pro plan was arranged with the app's team and runs until \d{4}-\d{2}-\d{2}; contact them to change it\.$/,
    );
  });

  it("no session: 401 UNAUTHORIZED with core's message, and no userMessage where core wrote none", async () => {
    const { status, error } = await trpc(null, 'billing.subscription.get', undefined, 'GET');
    expect(status).toBe(401);
    expect(error.message).toBe('No billing session: open the billing page from your app again');
    expect(error.data).toMatchObject({ appCode: 'UNAUTHORIZED', code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(error.data).not.toHaveProperty('userMessage');
  });

  it('a server-side failure is 5xx with generic words only, no stack, no internal detail', async () => {
    const sub = await openSubscriber(api, app, 'portal');
    const { status, error } = await trpc(sub, 'billing.portal.create', undefined);
    expect(status).toBe(503); // Stripe is not configured on this test server
    expect(error.message).toBe('Service temporarily unavailable');
    expect(error.data).toMatchObject({ appCode: 'SERVICE_UNAVAILABLE', code: 'SERVICE_UNAVAILABLE', httpStatus: 503 });
    expect(JSON.stringify(error)).not.toMatch(/STRIPE_SECRET_KEY|stack|at .*\.ts/);
  });

  it('what tRPC itself refuses (an unknown procedure) gets the code REST uses for it', async () => {
    const sub = await openSubscriber(api, app, 'lost');
    const { status, error } = await trpc(sub, 'billing.nothing.here', undefined, 'GET');
    expect(status).toBe(404);
    expect(error.data).toMatchObject({ appCode: 'NOT_FOUND', httpStatus: 404 });
  });
});
