// Each builder is one object literal carrying every field its stripe type requires. The functions
// are as long as the API objects are; they stay whole so tsc checks them field by field against the
// pinned API version (a removed field like invoice.paid, or a new required one, fails to compile).
import type Stripe from 'stripe';
import type { CardInfo } from '../billing/cards.ts';

const NO_BILLING_DETAILS = { address: null, email: null, name: null, phone: null, tax_id: null };

export function buildCardPaymentMethod(input: {
  id: string;
  now: number;
  customer: string | null;
  card: CardInfo;
  email: string | null;
  expMonth: number;
  expYear: number;
}): Stripe.PaymentMethod {
  return {
    id: input.id,
    object: 'payment_method',
    allow_redisplay: 'always',
    billing_details: { ...NO_BILLING_DETAILS, email: input.email },
    card: {
      brand: input.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: input.card.brand,
      exp_month: input.expMonth,
      exp_year: input.expYear,
      fingerprint: `fp_${input.card.number.slice(-8)}`,
      funding: input.card.funding,
      generated_from: null,
      last4: input.card.last4,
      networks: { available: [input.card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: input.now,
    customer: input.customer,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

export function buildPaymentIntent(input: {
  id: string;
  now: number;
  amount: number;
  currency: string;
  customer: string;
  paymentMethod: string | null;
  description: string | null;
}): Stripe.PaymentIntent {
  return {
    id: input.id,
    object: 'payment_intent',
    allowed_payment_method_types: ['card'],
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${input.id}_secret_emulated`,
    confirmation_method: 'automatic',
    created: input.now,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: input.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: 'off_session',
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_confirmation',
    transfer_group: null,
  };
}

export function buildCharge(input: {
  id: string;
  now: number;
  paymentIntent: Stripe.PaymentIntent;
  paymentMethod: Stripe.PaymentMethod;
  receiptUrl: string;
  failure: { code: string; message: string } | null;
}): Stripe.Charge {
  const pi = input.paymentIntent;
  const card = input.paymentMethod.card;
  const ok = input.failure === null;
  return {
    id: input.id,
    object: 'charge',
    amount: pi.amount,
    amount_captured: ok ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: ok ? `txn_${input.id.slice(3)}` : null,
    billing_details: input.paymentMethod.billing_details,
    calculated_statement_descriptor: 'AQUORIS BILLING',
    captured: ok,
    created: input.now,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: input.failure?.code ?? null,
    failure_message: input.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: ok ? 'approved_by_network' : 'declined_by_network',
      reason: ok ? null : (input.failure?.code ?? null),
      risk_level: 'normal',
      seller_message: ok ? 'Payment complete.' : 'The bank did not return any further details with this decline.',
      type: ok ? 'authorized' : 'issuer_declined',
    },
    paid: ok,
    payment_intent: pi.id,
    payment_method: input.paymentMethod.id,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: ok ? pi.amount : null,
        authorization_code: ok ? '123456' : null,
        brand: card?.brand ?? null,
        checks: card?.checks ?? null,
        country: card?.country ?? null,
        electronic_commerce_indicator: null,
        exp_month: card?.exp_month ?? 12,
        exp_year: card?.exp_year ?? 2034,
        funding: card?.funding ?? null,
        installments: null,
        last4: card?.last4 ?? null,
        mandate: null,
        network: card?.brand ?? null,
        network_transaction_id: null,
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: input.receiptUrl,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: ok ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

export function buildRefund(input: {
  id: string;
  now: number;
  charge: Stripe.Charge;
  amount: number;
  reason: Stripe.Refund.Reason | null;
  metadata: Record<string, string>;
}): Stripe.Refund {
  return {
    id: input.id,
    object: 'refund',
    amount: input.amount,
    balance_transaction: `txn_${input.id.slice(3)}`,
    charge: input.charge.id,
    created: input.now,
    currency: input.charge.currency,
    customer: input.charge.customer,
    customer_account: null,
    destination_details: { type: 'card', card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' } },
    metadata: input.metadata,
    payment_intent: input.charge.payment_intent,
    payment_method: input.charge.payment_method,
    reason: input.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}
