import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type Stripe from 'stripe';
import { buildCardPaymentMethod } from '../builders/payment.ts';
import { readCard } from '../billing/cards.ts';
import { confirmApiPaymentIntent } from '../billing/payment-intents.ts';
import type { Ctx } from '../core/context.ts';
import { StripeApiError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { formatAmount } from '../core/money.ts';
import { html, notFoundPage, page, statusBadge } from './layout.ts';

// The page Stripe.js would draw for confirmCardPayment(clientSecret): a card field that confirms the
// PaymentIntent, then back to return_url with Stripe's redirect parameters. 4242 4242 4242 4242 succeeds,
// 4000 0000 0000 0002 is declined (cards.ts); a declined intent stays open to be tried again.

function secretMatches(pi: Stripe.PaymentIntent, given: unknown): boolean {
  const expected = Buffer.from(pi.client_secret ?? '');
  const actual = Buffer.from(typeof given === 'string' ? given : '');
  return expected.length > 0 && expected.length === actual.length && timingSafeEqual(expected, actual);
}

function safeReturnUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function backTo(returnUrl: string, pi: Stripe.PaymentIntent): string {
  const url = new URL(returnUrl);
  url.searchParams.set('payment_intent', pi.id);
  url.searchParams.set('payment_intent_client_secret', pi.client_secret ?? '');
  url.searchParams.set('redirect_status', pi.status === 'succeeded' ? 'succeeded' : 'failed');
  return url.toString();
}

export function paymentPageRoutes(ctx: Ctx): Router {
  const router = express.Router();
  router.get('/pay/:id', (req, res) => {
    const pi = ctx.store.paymentIntents.get(req.params.id);
    if (!pi || !secretMatches(pi, req.query.client_secret)) return void res.status(404).send(notFoundPage());
    res.send(renderPayment(pi, safeReturnUrl(req.query.return_url), null));
  });
  router.post('/pay/:id', express.urlencoded({ extended: false }), (req, res) => {
    const body = req.body as Record<string, unknown>;
    const pi = ctx.store.paymentIntents.get(req.params.id);
    if (!pi || !secretMatches(pi, body.client_secret)) return void res.status(404).send(notFoundPage());
    const returnUrl = safeReturnUrl(body.return_url);
    if (pi.status !== 'succeeded') {
      try {
        const card = readCard(String(body.cardNumber ?? ''));
        const pm = buildCardPaymentMethod({ id: newId('pm'), now: ctx.clock.now(), customer: null, card, email: null, expMonth: 12, expYear: 2034 });
        ctx.store.cardNumbers.set(pm.id, card.number);
        ctx.store.paymentMethods.set(pm);
        confirmApiPaymentIntent(ctx, pi, pm.id);
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
        return void res.status(error.status).send(renderPayment(pi, returnUrl, error.body.message));
      }
    }
    if (returnUrl) return void res.redirect(303, backTo(returnUrl, pi));
    res.send(renderPayment(pi, null, null));
  });
  return router;
}

function renderPayment(pi: Stripe.PaymentIntent, returnUrl: string | null, error: string | null): string {
  const amount = formatAmount(pi.amount, pi.currency);
  const paid = pi.status === 'succeeded';
  const body = html`<div class="wrap">
    <section class="summary">
      <div class="merchant">Aquoris Billing</div>
      <p class="product">${pi.description ?? 'Payment'} ${statusBadge(pi.status)}</p>
      <p class="amount">${amount}</p>
      ${returnUrl ? html`<a class="back" href="${returnUrl}">← Back</a>` : html``}
    </section>
    <section class="panel">
      <h1>${paid ? 'Payment complete' : 'Pay with card'}</h1>
      ${
        paid
          ? html`<div class="notice" role="status">Paid ${amount}.</div>`
          : html`<form method="post" action="/pay/${pi.id}">
        <input type="hidden" name="client_secret" value="${pi.client_secret ?? ''}">
        <input type="hidden" name="return_url" value="${returnUrl ?? ''}">
        <label for="cardNumber">Card number</label>
        <input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
        ${error ? html`<div class="error" role="alert">${error}</div>` : html``}
        <button type="submit">Pay ${amount}</button>
        <p class="hint">Test cards: 4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is declined.</p>
      </form>`
      }
    </section>
  </div>`;
  return page(`Pay ${amount}`, body);
}
