// Each builder is one object literal carrying every field its stripe type requires. The functions
// are as long as the API objects are; they stay whole so tsc checks them field by field against the
// pinned API version (a removed field like invoice.paid, or a new required one, fails to compile).
import type Stripe from 'stripe';
import { randomToken } from '../core/ids.ts';

export function buildCustomer(input: {
  id: string;
  now: number;
  email: string | null;
  name: string | null;
  description?: string | null;
  phone?: string | null;
  metadata?: Record<string, string>;
}): Stripe.Customer {
  return {
    id: input.id,
    object: 'customer',
    address: null,
    balance: 0,
    created: input.now,
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    discount: null,
    email: input.email,
    invoice_prefix: randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata ?? {},
    name: input.name,
    next_invoice_sequence: 1,
    phone: input.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}
