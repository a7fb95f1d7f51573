import express, { type Router } from 'express';
import type Stripe from 'stripe';
import { attachDecline, readCard } from '../billing/cards.ts';
import { attachCard } from '../billing/customers.ts';
import { attemptInvoicePayment, subscriptionIdOf } from '../billing/invoices.ts';
import { applyPaymentOutcome } from '../billing/subscription-lifecycle.ts';
import type { Ctx } from '../core/context.ts';
import { StripeApiError } from '../core/errors.ts';
import { formatAmount, formatDate } from '../core/money.ts';
import { html, notFoundPage, page, statusBadge } from './layout.ts';
import { minimalPdf } from './pdf.ts';

/** hosted_invoice_url (/i/:id, payable while open), invoice_pdf (/i/:id/pdf) and charge receipts. */
export function invoicePageRoutes(ctx: Ctx): Router {
  const router = express.Router();
  router.get('/i/:id', (req, res) => {
    const invoice = ctx.store.invoices.get(req.params.id);
    if (!invoice) return void res.status(404).send(notFoundPage());
    res.send(renderInvoice(invoice, null));
  });
  router.post('/i/:id/pay', express.urlencoded({ extended: false }), (req, res) => {
    const invoice = ctx.store.invoices.get(req.params.id);
    if (!invoice) return void res.status(404).send(notFoundPage());
    try {
      payWithNewCard(ctx, invoice, String((req.body as Record<string, unknown>).cardNumber ?? ''));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      return void res.status(error.status).send(renderInvoice(invoice, error.body.message));
    }
    res.redirect(303, `/i/${invoice.id}`);
  });
  router.get('/i/:id/pdf', (req, res) => {
    const invoice = ctx.store.invoices.get(req.params.id);
    if (!invoice) return void res.status(404).send(notFoundPage());
    const lines = [
      `Invoice ${invoice.number ?? invoice.id}`,
      `Status: ${invoice.status}   Date: ${formatDate(invoice.created)}`,
      `Billed to: ${invoice.customer_email ?? String(invoice.customer)}`,
      '',
      ...invoice.lines.data.map((l) => `${l.description ?? ''}   ${formatAmount(l.amount, l.currency)}`),
      '',
      `Total: ${formatAmount(invoice.total, invoice.currency)}   Amount paid: ${formatAmount(invoice.amount_paid, invoice.currency)}   Amount due: ${formatAmount(invoice.amount_remaining, invoice.currency)}`,
    ];
    res
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="${invoice.number ?? invoice.id}.pdf"`)
      .send(minimalPdf(lines));
  });
  router.get('/receipts/:id', (req, res) => {
    const charge = ctx.store.charges.get(req.params.id);
    if (!charge) return void res.status(404).send(notFoundPage());
    res.send(
      page(
        'Receipt',
        html`<div class="wrap"><section class="panel"><h1>Receipt</h1>
      <p class="amount">${formatAmount(charge.amount, charge.currency)}</p>
      <p class="muted">${formatDate(charge.created)} · ${charge.payment_method_details?.card?.brand ?? 'card'} •••• ${charge.payment_method_details?.card?.last4 ?? ''} · ${statusBadge(charge.status)}</p>
      ${charge.amount_refunded > 0 ? html`<p class="muted">Refunded ${formatAmount(charge.amount_refunded, charge.currency)}</p>` : html``}
    </section></div>`,
      ),
    );
  });
  return router;
}

function payWithNewCard(ctx: Ctx, invoice: Stripe.Invoice, cardNumber: string): void {
  if (invoice.status !== 'open') return;
  const card = readCard(cardNumber);
  const decline = attachDecline(card.number);
  if (decline) throw decline;
  const pm = attachCard(ctx, { customer: String(invoice.customer), card, email: invoice.customer_email });
  const batch = ctx.events.batch();
  const result = attemptInvoicePayment(ctx, invoice, batch, { paymentMethod: pm.id });
  const subId = subscriptionIdOf(invoice);
  const sub = subId ? ctx.store.subscriptions.get(subId) : undefined;
  if (sub && result.ok) applyPaymentOutcome(ctx, sub, invoice, result, batch);
  batch.commit();
  if (result.error) throw result.error;
}

function renderInvoice(invoice: Stripe.Invoice, error: string | null): string {
  const amount = formatAmount(invoice.status === 'paid' ? invoice.amount_paid : invoice.amount_remaining, invoice.currency);
  const body = html`<div class="wrap">
    <section class="summary">
      <div class="merchant">Aquoris Billing</div>
      <p class="product">Invoice ${invoice.number ?? invoice.id} ${statusBadge(invoice.status)}</p>
      <p class="amount">${amount}</p>
      <p class="muted">${invoice.status === 'paid' ? `Paid ${formatDate(invoice.status_transitions.paid_at ?? invoice.created)}` : `Created ${formatDate(invoice.created)}`}</p>
      <p class="muted">To ${invoice.customer_email ?? ''}</p>
      <a class="back" href="${invoice.invoice_pdf ?? '#'}">Download invoice (PDF)</a>
    </section>
    <section class="panel">
      <h1>Summary</h1>
      <table><thead><tr><th>Description</th><th class="num">Amount</th></tr></thead><tbody>
      ${invoice.lines.data.map((l) => html`<tr><td>${l.description ?? ''}<br><span class="muted">${formatDate(l.period.start)} – ${formatDate(l.period.end)}</span></td><td class="num">${formatAmount(l.amount, l.currency)}</td></tr>`)}
      <tr><td><strong>Total</strong></td><td class="num"><strong>${formatAmount(invoice.total, invoice.currency)}</strong></td></tr>
      <tr><td>Amount paid</td><td class="num">${formatAmount(invoice.amount_paid, invoice.currency)}</td></tr>
      <tr><td>Amount due</td><td class="num">${formatAmount(invoice.amount_remaining, invoice.currency)}</td></tr>
      </tbody></table>
      ${
        invoice.status === 'open'
          ? html`<form method="post" action="/i/${invoice.id}/pay">
        <label for="cardNumber">Card number</label>
        <input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234">
        ${error ? html`<div class="error" role="alert">${error}</div>` : html``}
        <button type="submit">Pay ${amount}</button>
      </form>`
          : html``
      }
    </section>
  </div>`;
  return page(`Invoice ${invoice.number ?? invoice.id}`, body);
}
