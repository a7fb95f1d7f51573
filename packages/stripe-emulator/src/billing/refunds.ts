import type Stripe from 'stripe';
import { buildRefund } from '../builders/payment.ts';
import type { Ctx } from '../core/context.ts';
import { invalidRequest } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { formatAmount } from '../core/money.ts';
import type { Params } from '../core/params.ts';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** POST /v1/refunds: full or partial, against a charge or a payment intent's latest charge. */
export function createRefund(ctx: Ctx, params: Params): Stripe.Refund {
  const charge = refundableCharge(ctx, params);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
  }
  const amount = params.int('amount') ?? remaining;
  if (amount <= 0) throw invalidRequest('Invalid positive integer', 'amount', 'parameter_invalid_integer');
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      'amount',
      'amount_too_large',
    );
  }
  const refund = buildRefund({
    id: newId('re'),
    now: ctx.clock.now(),
    charge,
    amount,
    reason: params.oneOf('reason', REASONS) ?? null,
    metadata: params.metadata(),
  });
  ctx.store.refunds.set(refund);
  const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  ctx.events.batch().add('charge.refunded', charge, previous).add('refund.created', refund).commit();
  return refund;
}

function refundableCharge(ctx: Ctx, params: Params): Stripe.Charge {
  const chargeId = params.string('charge');
  const piId = params.string('payment_intent');
  if (chargeId && piId) throw invalidRequest('You can only specify one of these parameters: charge, payment_intent.');
  let charge: Stripe.Charge | undefined;
  if (chargeId) charge = ctx.store.charges.getOrThrow(chargeId, 'charge');
  else if (piId) {
    const pi = ctx.store.paymentIntents.getOrThrow(piId, 'payment_intent');
    if (pi.status !== 'succeeded' || !pi.latest_charge) {
      throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'payment_intent', 'charge_not_refundable');
    }
    charge = ctx.store.charges.getOrThrow(typeof pi.latest_charge === 'string' ? pi.latest_charge : pi.latest_charge.id, 'payment_intent');
  } else {
    throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', undefined, 'parameter_missing');
  }
  if (charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be refunded.`, chargeId ? 'charge' : 'payment_intent', 'charge_not_refundable');
  }
  return charge;
}
