import express, { type Router } from 'express';
import type Stripe from 'stripe';
import { TEST_CARDS } from '../billing/cards.ts';
import { productName } from '../billing/invoices.ts';
import { replaceDefaultCard, switchablePrices, switchSubscriptionPrice } from '../billing/portal.ts';
import { currentPeriod } from '../billing/subscription-lifecycle.ts';
import { updateSubscription } from '../billing/subscription-update.ts';
import type { Ctx } from '../core/context.ts';
import { StripeApiError } from '../core/errors.ts';
import { formatAmount, formatDate } from '../core/money.ts';
import { Params } from '../core/params.ts';
import { html, notFoundPage, page, statusBadge, type Html } from './layout.ts';

/** The customer portal at a billing portal session's `url`. */
export function portalPageRoutes(ctx: Ctx): Router {
  const router = express.Router();
  const sessionOr404 = (id: string | undefined) => (id ? ctx.store.portalSessions.get(id) : undefined);

  router.get('/p/session/:id', (req, res) => {
    const session = sessionOr404(req.params.id);
    if (!session) return void res.status(404).send(notFoundPage());
    const notice = req.query.updated ? 'Your payment method was updated.' : req.query.changed ? 'Your plan was updated.' : null;
    res.send(renderPortal(ctx, session, { notice, error: null }));
  });

  router.post('/p/session/:id/payment_method', express.urlencoded({ extended: false }), (req, res) => {
    const session = sessionOr404(req.params.id);
    if (!session) return void res.status(404).send(notFoundPage());
    const form = req.body as Record<string, string | undefined>;
    try {
      replaceDefaultCard(ctx, session.customer, form.preset || form.cardNumber || '');
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      return void res.status(error.status).send(renderPortal(ctx, session, { notice: null, error: error.body.message }));
    }
    res.redirect(303, `/p/session/${session.id}?updated=1`);
  });

  router.post('/p/session/:id/subscriptions/:sub/price', express.urlencoded({ extended: false }), (req, res) => {
    const session = sessionOr404(req.params.id);
    if (!session) return void res.status(404).send(notFoundPage());
    try {
      switchSubscriptionPrice(ctx, session.customer, req.params.sub ?? '', String((req.body as Record<string, unknown>).price ?? ''));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      return void res.status(error.status).send(renderPortal(ctx, session, { notice: null, error: error.body.message }));
    }
    res.redirect(303, `/p/session/${session.id}?changed=1`);
  });

  router.post('/p/session/:id/subscriptions/:sub/:action', (req, res) => {
    const session = sessionOr404(req.params.id);
    const sub = ctx.store.subscriptions.get(req.params.sub ?? '');
    const valid = req.params.action === 'cancel' || req.params.action === 'renew';
    if (!session || !sub || !valid || sub.customer !== session.customer) return void res.status(404).send(notFoundPage());
    const cancel = req.params.action === 'cancel';
    updateSubscription(ctx, sub.id, new Params({ cancel_at_period_end: String(cancel) }));
    res.redirect(303, `/p/session/${session.id}?changed=1`);
  });
  return router;
}

function renderPortal(ctx: Ctx, session: Stripe.BillingPortal.Session, state: { notice: string | null; error: string | null }): string {
  const customer = ctx.store.customers.get(session.customer);
  const subs = ctx.store.subscriptions.newestFirst().filter((s) => s.customer === session.customer);
  const pmId = customer?.invoice_settings.default_payment_method ?? subs.find((s) => s.default_payment_method)?.default_payment_method;
  const pm = typeof pmId === 'string' ? ctx.store.paymentMethods.get(pmId) : undefined;
  const back = session.return_url ? html`<a class="back" href="${session.return_url}">← Return to Aquoris Billing</a>` : html``;
  const body = html`<div class="wrap">
    <section class="summary">
      ${back}
      <div class="merchant">Aquoris Billing</div>
      <p class="muted">Signed in as</p>
      <p><strong>${customer?.name ?? customer?.email ?? session.customer}</strong><br><span class="muted">${customer?.email ?? ''}</span></p>
      ${session.return_url ? html`<a class="button" href="${session.return_url}">Return</a>` : html``}
    </section>
    <section class="panel">
      <h1>Billing</h1>
      ${state.notice ? html`<div class="notice" role="status">${state.notice}</div>` : html``}
      ${state.error ? html`<div class="error" role="alert">${state.error}</div>` : html``}
      <h2>Current plan</h2>
      ${subs.length === 0 ? html`<p class="muted">No subscriptions.</p>` : subs.map((sub) => subscriptionCard(ctx, session, sub))}
      <h2>Invoice history</h2>
      ${invoiceList(ctx, session.customer)}
      <h2>Payment method</h2>
      <p>${pm?.card ? `${pm.card.brand.toUpperCase()} •••• ${pm.card.last4} · expires ${pm.card.exp_month}/${pm.card.exp_year}` : 'No payment method on file.'}</p>
      <form method="post" action="/p/session/${session.id}/payment_method">
        <label for="cardNumber">Card number</label>
        <input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
        <button type="submit">Update payment method</button>
        <button class="secondary" type="submit" name="preset" value="${TEST_CARDS.success}">Use a working test card (4242)</button>
        <button class="secondary" type="submit" name="preset" value="${TEST_CARDS.attachesThenFails}">Use a failing test card (0341: saves, then charges fail)</button>
      </form>
    </section>
  </div>`;
  return page('Billing portal', body);
}

function subscriptionCard(ctx: Ctx, session: Stripe.BillingPortal.Session, sub: Stripe.Subscription): Html {
  const item = sub.items.data[0];
  const price = item?.price;
  const period = currentPeriod(sub);
  const when =
    sub.status === 'canceled'
      ? `Ended ${formatDate(sub.ended_at ?? period.end)}`
      : sub.cancel_at_period_end
        ? `Cancels ${formatDate(period.end)}`
        : sub.status === 'trialing'
          ? `Trial ends ${formatDate(sub.trial_end ?? period.end)}`
          : `Renews ${formatDate(period.end)}`;
  const action =
    sub.status === 'canceled'
      ? html``
      : sub.cancel_at_period_end
        ? html`<form method="post" action="/p/session/${session.id}/subscriptions/${sub.id}/renew"><button class="secondary" type="submit">Renew plan</button></form>`
        : html`<form method="post" action="/p/session/${session.id}/subscriptions/${sub.id}/cancel"><button class="secondary" type="submit">Cancel plan</button></form>`;
  const options = switchablePrices(ctx, sub).map(
    (p) => html`<form method="post" action="/p/session/${session.id}/subscriptions/${sub.id}/price">
      <input type="hidden" name="price" value="${p.id}">
      <button class="secondary" type="submit">Switch to ${formatAmount(p.unit_amount ?? 0, p.currency)} per ${p.recurring?.interval ?? 'period'}</button>
    </form>`,
  );
  return html`<div class="card">
    <strong>${price ? productName(ctx, price) : sub.id}</strong> ${statusBadge(sub.status)}
    <p class="muted">${price ? `${formatAmount((price.unit_amount ?? 0) * (item?.quantity ?? 1), price.currency)} per ${price.recurring?.interval ?? 'period'}` : ''} · ${when}</p>
    ${options}
    ${action}
  </div>`;
}

function invoiceList(ctx: Ctx, customerId: string): Html {
  const invoices = ctx.store.invoices.newestFirst().filter((i) => i.customer === customerId && i.status !== 'draft');
  if (invoices.length === 0) return html`<p class="muted">No invoices yet.</p>`;
  return html`<table>
    <thead><tr><th scope="col">Date</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Invoice</th></tr></thead>
    <tbody>
      ${invoices.map(
        (i) => html`<tr>
          <td>${formatDate(i.created)}</td>
          <td>${formatAmount(i.total, i.currency)}</td>
          <td>${statusBadge(i.status ?? 'draft')}</td>
          <td>${i.hosted_invoice_url ? html`<a href="${i.hosted_invoice_url}">View</a>` : html``}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
