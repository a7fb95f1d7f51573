import type Stripe from 'stripe';
import { buildCharge, buildPaymentIntent } from '../builders/payment.ts';
import type { Ctx } from '../core/context.ts';
import { StripeApiError, invalidRequest } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { chargeDecline } from './cards.ts';
import type { EventBatch } from './events.ts';

export interface ChargeOutcome {
  charge: Stripe.Charge | null;
  error: StripeApiError | null;
}

export function createPaymentIntent(ctx: Ctx, input: { amount: number; currency: string; customer: string; description: string | null }): Stripe.PaymentIntent {
  const pi = buildPaymentIntent({ id: newId('pi'), now: ctx.clock.now(), paymentMethod: null, ...input });
  return ctx.store.paymentIntents.set(pi);
}

/**
 * Confirms a payment intent with a saved card: one new charge per attempt, as Stripe does.
 * A customer flagged with fail_next_charge, or a declining test card, gets a failed charge.
 */
export function confirmPaymentIntent(ctx: Ctx, pi: Stripe.PaymentIntent, paymentMethodId: string, batch: EventBatch): ChargeOutcome {
  const { store } = ctx;
  const pm = store.paymentMethods.getOrThrow(paymentMethodId, 'payment_method');
  const error = consumeFailNextCharge(ctx, String(pi.customer)) ?? chargeDecline(store.cardNumbers.get(pm.id) ?? '');
  const chargeId = newId('ch');
  const charge = buildCharge({
    id: chargeId,
    now: ctx.clock.now(),
    paymentIntent: pi,
    paymentMethod: pm,
    receiptUrl: `${ctx.settings.baseUrl}/receipts/${chargeId}`,
    failure: error ? { code: error.body.decline_code ?? 'card_declined', message: error.body.message } : null,
  });
  store.charges.set(charge);
  pi.payment_method = pm.id;
  pi.latest_charge = charge.id;
  if (error) {
    error.body.charge = charge.id;
    error.body.payment_intent = { id: pi.id, status: 'requires_payment_method' };
    pi.status = 'requires_payment_method';
    pi.last_payment_error = {
      type: 'card_error',
      charge: charge.id,
      code: error.body.code ?? 'card_declined',
      decline_code: error.body.decline_code,
      message: error.body.message,
      payment_method_type: 'card',
    };
    batch.add('charge.failed', charge);
    batch.add('payment_intent.payment_failed', pi);
    return { charge, error };
  }
  pi.status = 'succeeded';
  pi.amount_received = pi.amount;
  pi.last_payment_error = null;
  return { charge, error: null };
}

/** Adds the success events of a confirmed intent; callers place them after their own events. */
export function addPaymentSucceededEvents(pi: Stripe.PaymentIntent, charge: Stripe.Charge, batch: EventBatch): void {
  batch.add('payment_intent.succeeded', pi);
  batch.add('charge.succeeded', charge);
}

/** Takes one pending fail_next_charge off the customer, if any, as the decline it causes. */
export function consumeFailNextCharge(ctx: Ctx, customerId: string): StripeApiError | null {
  const remaining = ctx.store.failNextCharges.get(customerId) ?? 0;
  if (remaining <= 0) return null;
  if (remaining === 1) ctx.store.failNextCharges.delete(customerId);
  else ctx.store.failNextCharges.set(customerId, remaining - 1);
  return chargeDecline('4000000000000002');
}

/** Will the next charge for this customer on this card decline? Used to refuse changes up front. */
export function peekDecline(ctx: Ctx, customerId: string, paymentMethodId: string | null): StripeApiError | null {
  if ((ctx.store.failNextCharges.get(customerId) ?? 0) > 0) return chargeDecline('4000000000000002');
  if (!paymentMethodId) return noPaymentMethod();
  return chargeDecline(ctx.store.cardNumbers.get(paymentMethodId) ?? '');
}

export function noPaymentMethod(): StripeApiError {
  return invalidRequest(
    'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
    undefined,
    'resource_missing',
  );
}
