import Stripe from 'stripe';

// Typed factories for products, prices and plans. Fields the emulator does not model get the
// values Stripe returns for a plain card-billing account (null, [], false).

export function decimal(amount: number): Stripe.Decimal {
  return Stripe.Decimal.from(String(amount));
}

export function buildProduct(input: {
  id: string;
  now: number;
  name: string;
  description?: string | null;
  active?: boolean;
  metadata?: Record<string, string>;
}): Stripe.Product {
  return {
    id: input.id,
    object: 'product',
    active: input.active ?? true,
    created: input.now,
    default_price: null,
    description: input.description ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: input.metadata ?? {},
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: input.now,
    url: null,
  };
}

export interface RecurringInput {
  interval: Stripe.Price.Recurring.Interval;
  interval_count: number;
}

export function buildPrice(input: {
  id: string;
  now: number;
  product: string;
  currency: string;
  unitAmount: number;
  recurring: RecurringInput | null;
  nickname?: string | null;
  lookupKey?: string | null;
  metadata?: Record<string, string>;
}): Stripe.Price {
  return {
    id: input.id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: input.now,
    currency: input.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: input.lookupKey ?? null,
    metadata: input.metadata ?? {},
    nickname: input.nickname ?? null,
    product: input.product,
    recurring: input.recurring ? { ...input.recurring, meter: null, trial_period_days: null, usage_type: 'licensed' } : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: input.recurring ? 'recurring' : 'one_time',
    unit_amount: input.unitAmount,
    unit_amount_decimal: decimal(input.unitAmount),
  };
}

/** Subscription items still carry the legacy `plan` mirror of their price. */
export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring ?? { interval: 'month', interval_count: 1 };
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}
