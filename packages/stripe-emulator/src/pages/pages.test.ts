import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createPlan, subscribeViaCheckout } from '../testing/factories.ts';
import { useHarness } from '../testing/use-harness.ts';

const h = useHarness();

/** Just past this is after the renewal and before its first retry (3 days later), in any month. */
const periodEnd = (sub: Stripe.Subscription) => sub.items.data[0]?.current_period_end ?? 0;
const postForm = (url: string, fields: Record<string, string>) => fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

/** Every <label for=x> must point at an element with id=x (the team's browser tests use getByLabel). */
function labelTargets(page: string): Record<string, boolean> {
  const result: Record<string, boolean> = {};
  for (const match of page.matchAll(/<label for="([^"]+)">([^<]+)<\/label>/g)) {
    result[match[2] as string] = page.includes(`id="${match[1]}"`);
  }
  return result;
}

async function openSession(mode: 'subscription' | 'payment' = 'subscription') {
  const price =
    mode === 'subscription'
      ? await createPlan(h.stripe, { name: 'Pro', unitAmount: 2000, currency: 'eur' })
      : await h.stripe.prices.create({ currency: 'usd', unit_amount: 900, product_data: { name: 'Credits' } });
  return h.stripe.checkout.sessions.create({
    mode,
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: 'https://app.example/billing/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://app.example/billing/cancel',
  });
}

describe('hosted checkout page', () => {
  it('shows the plan, the formatted price, labelled card fields and a Subscribe button', async () => {
    const session = await openSession();
    const res = await fetch(String(session.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('Subscribe to Pro');
    expect(page).toContain('€20.00');
    expect(page).toContain('per month');
    expect(labelTargets(page)).toEqual({ Email: true, 'Card number': true, Expiration: true, CVC: true, 'Cardholder name': true });
    expect(page).toContain('placeholder="MM / YY"');
    expect(page).toMatch(/<button type="submit">Subscribe<\/button>/);
    expect(page).toContain('href="https://app.example/billing/cancel"');
    expect(page).not.toMatch(/<script|<link /);
  });

  it('says Pay in payment mode', async () => {
    const page = await (await fetch(String((await openSession('payment')).url))).text();
    expect(page).toMatch(/<button type="submit">Pay<\/button>/);
  });

  it('re-renders a declined card with a visible error, then redirects 303 to success_url on 4242', async () => {
    const session = await openSession();
    const form = { email: 'ada@example.com', cardNumber: '4000 0000 0000 0002', expiry: '12 / 34', cvc: '123', name: 'Ada' };
    const declined = await postForm(String(session.url), form);
    expect(declined.status).toBe(402);
    const page = await declined.text();
    expect(page).toContain('<div class="error" role="alert">Your card was declined.</div>');
    expect(page).toContain('value="ada@example.com"');
    // Every field keeps what was typed: only the error is new.
    for (const value of ['4000 0000 0000 0002', '12 / 34', '123', 'Ada']) expect(page).toContain(`value="${value}"`);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');

    const incomplete = await postForm(String(session.url), { ...form, cardNumber: '4242424242424242', expiry: '13/30' });
    expect(await incomplete.text()).toContain('expiration date is incomplete');

    const paid = await postForm(String(session.url), { ...form, cardNumber: '4242 4242 4242 4242' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`https://app.example/billing/success?session_id=${session.id}`);
    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription', 'customer'] });
    expect(done).toMatchObject({ status: 'complete', subscription: { status: 'active' }, customer: { email: 'ada@example.com', name: 'Ada' } });
    expect(await (await fetch(String(session.url))).text()).toContain('already complete');
  });

  it('4000 0000 0000 0341: the hint says what happens, and it happens (declined when charged now, saved for a trial)', async () => {
    const form = { email: 'ada@example.com', cardNumber: '4000000000000341', expiry: '12 / 34', cvc: '123' };
    const paid = await openSession();
    const paidPage = await (await fetch(String(paid.url))).text();
    expect(paidPage).toContain('4000 0000 0000 0341 is declined too');
    expect(paidPage).not.toContain('later charges fail');
    const declined = await postForm(String(paid.url), form);
    expect(declined.status).toBe(402);

    const price = await createPlan(h.stripe, { name: 'Trial', unitAmount: 2000, currency: 'eur' });
    const trial = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      subscription_data: { trial_period_days: 7 },
      success_url: 'https://app.example/billing/success?session_id={CHECKOUT_SESSION_ID}',
    });
    expect(await (await fetch(String(trial.url))).text()).toContain(
      '4000 0000 0000 0341 is accepted now, as nothing is charged today, and the first charge on it fails',
    );
    const saved = await postForm(String(trial.url), form);
    expect(saved.status).toBe(303);
    const done = await h.stripe.checkout.sessions.retrieve(trial.id, { expand: ['subscription'] });
    expect(done).toMatchObject({ status: 'complete', subscription: { status: 'trialing' } });
  });

  it('404s an unknown session', async () => {
    expect((await fetch(`${h.emulator.url}/c/pay/cs_test_missing`)).status).toBe(404);
  });
});

describe('billing portal page', () => {
  it('fixes a failing card: renewal fails, the customer updates the card, the next retry recovers', async () => {
    const price = await createPlan(h.stripe);
    const { subscription } = await subscribeViaCheckout(h, price, { email: 'eve@example.com' });
    const portal = await h.stripe.billingPortal.sessions.create({ customer: String(subscription.customer), return_url: 'https://app.example/account' });
    expect(portal).toMatchObject({
      object: 'billing_portal.session',
      return_url: 'https://app.example/account',
      url: `${h.emulator.url}/p/session/${portal.id}`,
    });

    const page = await (await fetch(portal.url)).text();
    expect(page).toContain('eve@example.com');
    expect(page).toContain('Pro');
    expect(page).toContain('VISA •••• 4242');
    expect(page).toMatch(/<a class="button" href="https:\/\/app.example\/account">Return<\/a>/);
    expect(labelTargets(page)).toEqual({ 'Card number': true });

    const toFailing = await postForm(`${portal.url}/payment_method`, { preset: '4000000000000341' });
    expect(toFailing.status).toBe(303);
    const customer = (await h.stripe.customers.retrieve(String(subscription.customer))) as Stripe.Customer;
    const failingPm = String(customer.invoice_settings.default_payment_method);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).default_payment_method).toBe(failingPm);

    h.advanceTo(periodEnd(subscription) + 60);
    const pastDue = await h.stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(pastDue.status).toBe('past_due');
    expect(await (await fetch(portal.url)).text()).toContain('past_due');

    const declined = await postForm(`${portal.url}/payment_method`, { cardNumber: '4000000000000002' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');

    expect((await postForm(`${portal.url}/payment_method`, { cardNumber: '4242424242424242' })).status).toBe(303);
    h.advanceTo(Number((pastDue.latest_invoice as Stripe.Invoice).next_payment_attempt) + 60);
    const recovered = await h.stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(recovered.status).toBe('active');
    expect(recovered.latest_invoice).toMatchObject({ status: 'paid', attempt_count: 2 });
  });

  it('cancels and renews at period end from the portal', async () => {
    const price = await createPlan(h.stripe);
    const { subscription } = await subscribeViaCheckout(h, price);
    const portal = await h.stripe.billingPortal.sessions.create({ customer: String(subscription.customer) });
    expect((await postForm(`${portal.url}/subscriptions/${subscription.id}/cancel`, {})).status).toBe(303);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(true);
    expect(await (await fetch(portal.url)).text()).toContain('Renew plan');
    expect((await postForm(`${portal.url}/subscriptions/${subscription.id}/renew`, {})).status).toBe(303);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(false);
  });
});

describe('hosted invoice page and PDF', () => {
  it('serves the invoice page, a valid PDF, and lets an open invoice be paid with a new card', async () => {
    const price = await createPlan(h.stripe);
    const { subscription, session } = await subscribeViaCheckout(h, price);
    const first = await h.stripe.invoices.retrieve(String(session.invoice));
    const page = await (await fetch(String(first.hosted_invoice_url))).text();
    expect(page).toContain(String(first.number));
    expect(page).toContain('$20.00');
    const pdf = await fetch(String(first.invoice_pdf));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    expect(bytes.startsWith('%PDF-1.4')).toBe(true);
    expect(bytes.trimEnd().endsWith('%%EOF')).toBe(true);

    await h.control('POST', `/customers/${String(subscription.customer)}/fail_next_charge`);
    h.advanceTo(periodEnd(subscription) + 60);
    const open = await h.stripe.invoices.retrieve(String((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice));
    expect(open.status).toBe('open');
    expect(await (await fetch(String(open.hosted_invoice_url))).text()).toContain('Pay $20.00');
    expect((await postForm(`${open.hosted_invoice_url}/pay`, { cardNumber: '5555555555554444' })).status).toBe(303);
    expect(await h.stripe.invoices.retrieve(open.id)).toMatchObject({ status: 'paid' });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('pays an open invoice through the API and answers 402 while the card declines', async () => {
    const price = await createPlan(h.stripe);
    const { subscription } = await subscribeViaCheckout(h, price);
    await h.control('POST', `/customers/${String(subscription.customer)}/fail_next_charge`, { times: 2 });
    h.advanceTo(periodEnd(subscription) + 60);
    const invoiceId = String((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice);
    await expect(h.stripe.invoices.pay(invoiceId)).rejects.toMatchObject({ statusCode: 402, code: 'card_declined' });
    const paid = await h.stripe.invoices.pay(invoiceId);
    expect(paid).toMatchObject({ status: 'paid', attempt_count: 3 });
    await expect(h.stripe.invoices.pay(invoiceId)).rejects.toMatchObject({ statusCode: 400 });
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });
});
