import type Stripe from 'stripe';
import { buildCustomer } from '../builders/customer.ts';
import { buildCardPaymentMethod } from '../builders/payment.ts';
import type { Ctx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import type { CardInfo } from './cards.ts';
import type { EventBatch } from './events.ts';

export function createCustomerRecord(
  ctx: Ctx,
  input: {
    email: string | null;
    name: string | null;
    description?: string | null;
    phone?: string | null;
    metadata?: Record<string, string>;
    testClock?: string | null;
  },
  batch: EventBatch,
): Stripe.Customer {
  const { testClock, ...fields } = input;
  const customer = ctx.store.customers.set(buildCustomer({ id: newId('cus'), now: ctx.clock.now(), ...fields }));
  customer.test_clock = testClock ?? null;
  batch.add('customer.created', customer);
  return customer;
}

/** Saves a card as a payment method attached to the customer; the number stays internal. */
export function attachCard(
  ctx: Ctx,
  input: { customer: string; card: CardInfo; email: string | null; expMonth?: number; expYear?: number },
): Stripe.PaymentMethod {
  const pm = buildCardPaymentMethod({
    id: newId('pm'),
    now: ctx.clock.now(),
    customer: input.customer,
    card: input.card,
    email: input.email,
    expMonth: input.expMonth ?? 12,
    expYear: input.expYear ?? new Date(ctx.clock.now() * 1000).getUTCFullYear() + 5,
  });
  ctx.store.cardNumbers.set(pm.id, input.card.number);
  return ctx.store.paymentMethods.set(pm);
}
