import express, { type Request, type Response, type Router } from 'express';
import type Stripe from 'stripe';
import { checkoutMode, completeCheckoutSession } from '../billing/checkout.ts';
import type { Ctx } from '../core/context.ts';
import { StripeApiError } from '../core/errors.ts';
import { formatAmount } from '../core/money.ts';
import { Html, html, notFoundPage, page } from './layout.ts';

/** The hosted Checkout page at a session's `url`: GET renders it, POST is the form submit. */
export function checkoutPageRoutes(ctx: Ctx): Router {
  const router = express.Router();
  router.get('/c/pay/:id', (req, res) => {
    const session = ctx.store.checkoutSessions.get(req.params.id ?? '');
    if (!session) return void res.status(404).send(notFoundPage());
    res.send(renderCheckout(ctx, session, { error: null, fields: {} }));
  });
  router.post('/c/pay/:id', express.urlencoded({ extended: false }), (req, res) => submit(ctx, req, res));
  return router;
}

function submit(ctx: Ctx, req: Request, res: Response): void {
  const session = ctx.store.checkoutSessions.get(req.params.id as string);
  if (!session) return void res.status(404).send(notFoundPage());
  const form = req.body as Record<string, string | undefined>;
  const email = form.email ?? '';
  // A refused submit shows the form again with what was typed, like Stripe's page: only the error is new.
  const fields: Fields = { email, cardNumber: form.cardNumber, expiry: form.expiry, cvc: form.cvc, name: form.name };
  const problem = validateExpiryAndCvc(ctx, form.expiry ?? '', form.cvc ?? '');
  if (problem) return void res.status(400).send(renderCheckout(ctx, session, { error: problem.message, fields }));
  const expiry = expiryOf(form.expiry ?? '');
  try {
    completeCheckoutSession(ctx, session.id, { cardNumber: form.cardNumber ?? '', email, name: form.name, expMonth: expiry.month, expYear: expiry.year });
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    const message = error.body.param === 'email' ? 'Your email is incomplete.' : error.body.message;
    return void res.status(error.status).send(renderCheckout(ctx, session, { error: message, fields }));
  }
  res.redirect(303, (session.success_url ?? '/').replace('{CHECKOUT_SESSION_ID}', session.id));
}

function expiryOf(raw: string): { month: number; year: number } {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(raw);
  const month = Number(match?.[1] ?? 0);
  const year = Number(match?.[2] ?? 0);
  return { month, year: year < 100 ? 2000 + year : year };
}

function validateExpiryAndCvc(ctx: Ctx, expiry: string, cvc: string): { message: string } | null {
  const { month, year } = expiryOf(expiry);
  if (!month || month > 12 || !year) return { message: "Your card's expiration date is incomplete." };
  const now = new Date(ctx.clock.now() * 1000);
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    return { message: "Your card's expiration date is in the past." };
  }
  if (!/^\d{3,4}$/.test(cvc.trim())) return { message: "Your card's security code is incomplete." };
  return null;
}

type Fields = Partial<Record<'email' | 'cardNumber' | 'expiry' | 'cvc' | 'name', string>>;

/**
 * What 4000 0000 0000 0341 does here, as on Stripe: it attaches, but every charge on it fails, so it is
 * declined when the first payment is due now and accepted when nothing is charged today (a trial).
 */
function cardHint(chargedNow: boolean): string {
  const failing = chargedNow
    ? '4000 0000 0000 0341 is declined too (it can be saved, but every charge on it fails)'
    : '4000 0000 0000 0341 is accepted now, as nothing is charged today, and the first charge on it fails';
  return `Test cards: 4242 4242 4242 4242 succeeds · 4000 0000 0000 0002 is declined · ${failing}. Any future date and any CVC.`;
}

function renderCheckout(ctx: Ctx, session: Stripe.Checkout.Session, state: { error: string | null; fields: Fields }): string {
  const typed = state.fields;
  const lineItems = ctx.store.sessionLineItems.get(session.id) ?? [];
  const first = lineItems[0];
  const trialDays = ctx.store.sessionSubscriptionData.get(session.id)?.trialDays ?? null;
  const recurring = first?.price?.recurring;
  const per = recurring
    ? html` <small>per ${recurring.interval_count > 1 ? `${recurring.interval_count} ${recurring.interval}s` : recurring.interval}</small>`
    : html``;
  const back = session.cancel_url ? html`<a class="back" href="${session.cancel_url}">← Back</a>` : html``;
  const customer = session.customer ? ctx.store.customers.get(String(session.customer)) : undefined;
  const fixedEmail = customer?.email ?? session.customer_email;
  const summary = html`<section class="summary">
    ${back}
    <div class="merchant">Aquoris Billing</div>
    <p class="product">${trialDays ? `Try ${first?.description ?? ''}` : lineItems.length === 1 ? `Subscribe to ${first?.description ?? ''}` : 'Your order'}</p>
    <p class="amount">${trialDays ? `${trialDays} days free` : formatAmount(session.amount_total ?? 0, session.currency ?? 'usd')}${trialDays ? html`` : per}</p>
    ${trialDays ? html`<p class="muted">Then ${formatAmount(session.amount_total ?? 0, session.currency ?? 'usd')}${per}</p>` : html``}
    <div class="lines">${lineItems.map((li) => html`<div class="line"><span>${li.description} × ${li.quantity}</span><span>${formatAmount(li.amount_total, li.currency)}</span></div>`)}
      <div class="line"><strong>Total due today</strong><strong>${formatAmount(trialDays ? 0 : (session.amount_total ?? 0), session.currency ?? 'usd')}</strong></div>
    </div>
  </section>`;
  if (session.status !== 'open') return page('Checkout', html`<div class="wrap">${summary}<section class="panel">${closedNotice(session)}</section></div>`);
  const form = html`<section class="panel">
    <h1>Pay with card</h1>
    <form method="post" action="/c/pay/${session.id}" novalidate>
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" value="${fixedEmail ?? typed.email ?? ''}" ${new Html(fixedEmail ? 'readonly' : 'required')}>
      <label for="cardNumber">Card number</label>
      <input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" value="${typed.cardNumber ?? ''}" placeholder="1234 1234 1234 1234" required>
      <div class="row">
        <div><label for="cardExpiry">Expiration</label><input id="cardExpiry" name="expiry" autocomplete="cc-exp" value="${typed.expiry ?? ''}" placeholder="MM / YY" required></div>
        <div><label for="cardCvc">CVC</label><input id="cardCvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" value="${typed.cvc ?? ''}" placeholder="CVC" required></div>
      </div>
      <label for="billingName">Cardholder name</label>
      <input id="billingName" name="name" autocomplete="cc-name" value="${typed.name ?? ''}" placeholder="Full name on card">
      ${state.error ? html`<div class="error" role="alert">${state.error}</div>` : html``}
      <button type="submit">${checkoutMode(session).submitLabel}</button>
    </form>
    <p class="hint">${cardHint(checkoutMode(session).amountDueNow(ctx, session) > 0)}</p>
  </section>`;
  return page('Checkout', html`<div class="wrap">${summary}${form}</div>`);
}

function closedNotice(session: Stripe.Checkout.Session): Html {
  if (session.status === 'complete') {
    const next = (session.success_url ?? '').replace('{CHECKOUT_SESSION_ID}', session.id);
    return html`<h1>Payment complete</h1><p class="notice" role="status">This checkout session is already complete.</p>${next ? html`<a class="button" href="${next}">Continue</a>` : html``}`;
  }
  return html`<h1>Session expired</h1><p class="error" role="alert">This checkout session has expired.</p>${session.cancel_url ? html`<a class="button" href="${session.cancel_url}">Back</a>` : html``}`;
}
