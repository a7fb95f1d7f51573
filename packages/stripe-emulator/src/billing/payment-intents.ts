import type Stripe from 'stripe';
import { buildPaymentIntent } from '../builders/payment.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Params } from '../core/params.ts';
import { atCustomerTime } from './customer-time.ts';
import { subscriptionIdOf } from './invoices.ts';
import { addPaymentSucceededEvents, confirmPaymentIntent } from './payments.ts';
import { applyPaymentOutcome } from './subscription-lifecycle.ts';

const CONFIRMABLE: readonly Stripe.PaymentIntent.Status[] = ['requires_payment_method', 'requires_confirmation'];

/** POST /v1/payment_intents: an intent waiting for a payment method (or for confirmation, given one). */
export function createApiPaymentIntent(ctx: Ctx, params: Params): Stripe.PaymentIntent {
  const amount = params.requiredInt('amount');
  if (amount < 50) throw invalidRequest('Amount must be at least 50 cents', 'amount', 'amount_too_small');
  const currency = params.requiredString('currency').toLowerCase();
  const customer = params.string('customer');
  if (customer) ctx.store.customers.getOrThrow(customer, 'customer');
  const paymentMethod = params.string('payment_method') ?? null;
  if (paymentMethod) ctx.store.paymentMethods.getOrThrow(paymentMethod, 'payment_method');
  const pi = buildPaymentIntent({
    id: newId('pi'),
    now: ctx.clock.now(),
    amount,
    currency,
    customer: customer ?? '',
    paymentMethod,
    description: params.string('description') ?? null,
  });
  pi.customer = customer ?? null;
  pi.setup_future_usage = null;
  pi.metadata = params.metadata();
  pi.client_secret = `${pi.id}_secret_${newId('s').slice(2)}`;
  pi.status = paymentMethod ? 'requires_confirmation' : 'requires_payment_method';
  const events = ctx.events.batch();
  events.add('payment_intent.created', pi);
  events.commit();
  return ctx.store.paymentIntents.set(pi);
}

/** POST /v1/payment_intents/:id: description and metadata (metadata merges; '' unsets a key). */
export function updatePaymentIntent(ctx: Ctx, pi: Stripe.PaymentIntent, params: Params): Stripe.PaymentIntent {
  if (pi.status === 'succeeded' || pi.status === 'canceled') {
    throw invalidRequest(`This PaymentIntent's status is ${pi.status}, so it can no longer be updated.`, undefined, 'payment_intent_unexpected_state');
  }
  if (params.has('description')) pi.description = params.string('description') || null;
  if (params.has('metadata')) pi.metadata = params.metadata(pi.metadata);
  return pi;
}

/**
 * POST /v1/payment_intents/:id/confirm with a payment method: one charge. A decline answers 402 (card_error)
 * and leaves the intent requires_payment_method with last_payment_error, to be confirmed again. An intent
 * that collects an invoice pays the invoice, as Stripe does (invoice.paid; a past_due subscription recovers).
 */
export function confirmApiPaymentIntent(ctx: Ctx, pi: Stripe.PaymentIntent, paymentMethodId: string | undefined): Stripe.PaymentIntent {
  if (!CONFIRMABLE.includes(pi.status)) {
    throw invalidRequest(
      `This PaymentIntent's status is ${pi.status}, but it must be requires_payment_method or requires_confirmation to be confirmed.`,
      undefined,
      'payment_intent_unexpected_state',
    );
  }
  const pm = paymentMethodId ?? (typeof pi.payment_method === 'string' ? pi.payment_method : (pi.payment_method?.id ?? null));
  if (!pm) {
    throw invalidRequest(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      undefined,
      'payment_intent_unexpected_state',
    );
  }
  return atCustomerTime(ctx, typeof pi.customer === 'string' ? pi.customer : undefined, () => {
    const batch = ctx.events.batch();
    const outcome = confirmPaymentIntent(ctx, pi, pm, batch);
    const payment = ctx.store.invoicePayments.newestFirst().find((p) => p.payment.payment_intent === pi.id);
    const invoice = payment ? ctx.store.invoices.get(payment.invoice as string) : undefined;
    if (outcome.error || !outcome.charge) {
      if (invoice) batch.add('invoice.payment_failed', invoice);
      batch.commit();
      throw outcome.error!;
    }
    if (invoice && payment && invoice.status === 'open') {
      payment.status = 'paid';
      payment.amount_paid = invoice.amount_remaining;
      payment.status_transitions.paid_at = ctx.clock.now();
      invoice.status = 'paid';
      invoice.amount_paid = invoice.amount_due;
      invoice.amount_remaining = 0;
      invoice.next_payment_attempt = null;
      invoice.status_transitions.paid_at = ctx.clock.now();
      batch.add('invoice.paid', invoice);
      batch.add('invoice.payment_succeeded', invoice);
      const subId = subscriptionIdOf(invoice);
      const sub = subId ? ctx.store.subscriptions.get(subId) : undefined;
      if (sub) applyPaymentOutcome(ctx, sub, invoice, { ok: true, error: null }, batch);
    }
    addPaymentSucceededEvents(pi, outcome.charge, batch);
    batch.commit();
    return pi;
  });
}
