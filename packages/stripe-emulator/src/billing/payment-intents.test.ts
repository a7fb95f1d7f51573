import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

async function openIntent() {
  const customer = await h.stripe.customers.create({ email: 'pay@example.com' });
  return h.stripe.paymentIntents.create(
    { amount: 4200, currency: 'usd', customer: customer.id, description: 'Consulting', allowed_payment_method_types: ['card'], metadata: { invoice: 'inv_1' } },
    { idempotencyKey: `pi-${customer.id}` },
  );
}

/** The hosted payment page's form, as a browser posts it. */
async function payOnPage(pi: Stripe.PaymentIntent, cardNumber: string, returnUrl = 'http://localhost:5173/billing/invoices') {
  return fetch(`${h.emulator.url}/pay/${pi.id}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_secret: pi.client_secret ?? '', return_url: returnUrl, cardNumber }),
  });
}

describe('payment intents', () => {
  it('are created waiting for a payment method, with a client secret, and retrieved the same', async () => {
    const pi = await openIntent();
    expect(pi).toMatchObject({
      object: 'payment_intent',
      amount: 4200,
      currency: 'usd',
      status: 'requires_payment_method',
      last_payment_error: null,
      metadata: { invoice: 'inv_1' },
    });
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    expect(await h.stripe.paymentIntents.retrieve(pi.id)).toEqual(pi);
  });

  it('refuse to be confirmed without a payment method, as Stripe does', async () => {
    const pi = await openIntent();
    await expect(h.stripe.paymentIntents.confirm(pi.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state', statusCode: 400 });
  });

  it('declined on the payment page keep the intent open with last_payment_error; paid after, then refuse another confirm', async () => {
    const pi = await openIntent();
    const declined = await payOnPage(pi, '4000 0000 0000 0002');
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    const afterDecline = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(afterDecline.status).toBe('requires_payment_method');
    expect(afterDecline.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' });

    const paid = await payOnPage(pi, '4242 4242 4242 4242');
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get('location') ?? '');
    expect(Object.fromEntries(back.searchParams)).toEqual({
      payment_intent: pi.id,
      payment_intent_client_secret: pi.client_secret,
      redirect_status: 'succeeded',
    });
    const succeeded = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(succeeded).toMatchObject({ status: 'succeeded', amount_received: 4200, last_payment_error: null });
    await h.flush();
    expect(h.receiver.types()).toEqual(
      expect.arrayContaining(['payment_intent.created', 'payment_intent.payment_failed', 'payment_intent.succeeded', 'charge.succeeded']),
    );
    await expect(h.stripe.paymentIntents.confirm(pi.id, { payment_method: String(succeeded.payment_method) })).rejects.toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });

  it('show no page without the right client secret', async () => {
    const pi = await openIntent();
    expect((await fetch(`${h.emulator.url}/pay/${pi.id}?client_secret=${pi.id}_secret_wrong`)).status).toBe(404);
    const page = await fetch(`${h.emulator.url}/pay/${pi.id}?client_secret=${pi.client_secret}&return_url=javascript:alert(1)`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<label for="cardNumber">Card number</label>');
    expect(text).not.toContain('javascript:');
  });

  it('update metadata by merging, and refuse an update once succeeded', async () => {
    const pi = await openIntent();
    expect((await h.stripe.paymentIntents.update(pi.id, { metadata: { extra: 'x' } })).metadata).toEqual({ invoice: 'inv_1', extra: 'x' });
    await payOnPage(pi, '4242424242424242');
    await expect(h.stripe.paymentIntents.update(pi.id, { metadata: { late: 'y' } })).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
  });
});
