import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness.ts';
import { StripeTypes } from '../testing/stripe-types.ts';

let h: Harness;
let types: StripeTypes;
beforeAll(async () => {
  h = await startHarness();
  types = StripeTypes.load(h.emulator.routes.map((r) => r.spec.stripe));
});
beforeEach(() => h.reset());
afterAll(async () => h.close());

describe("each route's parameters against the stripe package's *Params types", () => {
  it('declares a stripe type for every /v1 route, and no route twice', () => {
    const keys = h.emulator.routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(40);
  });

  it('accepts at the top level only names the stripe type has', () => {
    const drift = h.emulator.routes.flatMap((r) => {
      const known = new Set(types.propertyNames(r.spec.stripe));
      return Object.keys(r.spec.params)
        .filter((name) => !known.has(name))
        .map((name) => `${r.method} ${r.path}: ${name} is not in Stripe.${r.spec.stripe}`);
    });
    expect(drift).toEqual([]);
  });

  it('accepts nested names (objects and lists of objects) only where the stripe type has them', () => {
    const drift = h.emulator.routes.flatMap((r) => types.undeclaredByStripe(r.spec.stripe, r.spec.params).map((p) => `${r.method} ${r.path}: ${p}`));
    expect(drift).toEqual([]);
  });

  it('can fail: a name the stripe type lacks is reported with its bracket path', () => {
    expect(types.undeclaredByStripe('Checkout.SessionCreateParams', { line_items: [{ price: 'value', prise: 'value' }], modes: 'value' })).toEqual([
      'line_items[0][prise]',
      'modes',
    ]);
  });
});

describe('unknown parameters', () => {
  const expectUnknown = async (call: Promise<unknown>, param: string) => {
    const error = (await call.catch((e: unknown) => e)) as Stripe.errors.StripeInvalidRequestError;
    expect(error).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, code: 'parameter_unknown', param });
    expect(error.raw).toMatchObject({ message: `Received unknown parameter: ${param}`, doc_url: 'https://docs.stripe.com/error-codes/parameter-unknown' });
  };

  it('refuses a top-level one, on create, update, retrieve and list, and creates nothing', async () => {
    await expectUnknown(h.stripe.customers.create({ email: 'a@example.com', emial: 'x' } as Stripe.CustomerCreateParams), 'emial');
    expect((await h.stripe.customers.list()).data).toHaveLength(0);
    const customer = await h.stripe.customers.create({ email: 'a@example.com' });
    await expectUnknown(h.stripe.customers.update(customer.id, { nmae: 'x' } as Stripe.CustomerUpdateParams), 'nmae');
    await expectUnknown(h.stripe.customers.retrieve(customer.id, { expnad: ['x'] } as Stripe.CustomerRetrieveParams), 'expnad');
    await expectUnknown(h.stripe.subscriptions.list({ customerr: customer.id } as Stripe.SubscriptionListParams), 'customerr');
  });

  it('names nested ones with their brackets, in objects and in lists', async () => {
    const price = await h.stripe.prices.create({ currency: 'usd', unit_amount: 100, recurring: { interval: 'month' }, product_data: { name: 'P' } });
    const session = { mode: 'subscription', success_url: 'https://x.test/ok' } as const;
    await expectUnknown(
      h.stripe.checkout.sessions.create({ ...session, line_items: [{ price: price.id, quantity: 1 }, { price: price.id, qty: 1 } as never] }),
      'line_items[1][qty]',
    );
    await expectUnknown(
      h.stripe.checkout.sessions.create({ ...session, line_items: [{ price: price.id, quantity: 1 }], subscription_data: { trial_days: 3 } as never }),
      'subscription_data[trial_days]',
    );
    await expectUnknown(
      h.stripe.prices.create({ currency: 'usd', unit_amount: 1, recurring: { interval: 'month', every: 2 } as never, product_data: { name: 'P' } }),
      'recurring[every]',
    );
  });

  it('keeps metadata free-form', async () => {
    const customer = await h.stripe.customers.create({ metadata: { anything: 'goes', 'with-dash': 'yes' } });
    expect(customer.metadata).toEqual({ anything: 'goes', 'with-dash': 'yes' });
  });

  it('says so when Stripe knows a parameter the emulator does not emulate', async () => {
    const error = await h.stripe.checkout.sessions
      .create({
        mode: 'payment',
        success_url: 'https://x.test/ok',
        line_items: [{ price_data: { currency: 'usd', unit_amount: 1, product: 'p', recurring: { interval: 'month' } }, quantity: 1 }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusCode: 400,
      param: 'line_items[0][price_data][recurring]',
      message: 'line_items[0][price_data][recurring] is not supported by the Stripe emulator.',
    });
    expect(error).not.toMatchObject({ code: 'parameter_unknown' });
  });

  it('does not store a refused request under its idempotency key', async () => {
    const key = 'idem-unknown-param';
    await expectUnknown(h.stripe.customers.create({ email: 'a@example.com', foo: 'bar' } as Stripe.CustomerCreateParams, { idempotencyKey: key }), 'foo');
    const customer = await h.stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: key });
    expect(customer.email).toBe('a@example.com');
  });
});
