import type Stripe from 'stripe';
import { noSuch } from './errors.ts';
import { idPrefix } from './ids.ts';

/** One resource type's objects, kept in creation order (lists read it newest first, like Stripe). */
export class Collection<T extends { id: string }> {
  private readonly items = new Map<string, T>();
  readonly kind: string;
  /** Set on a live-mode store's collections: every object kept says livemode: true, as live objects do in Stripe. */
  livemode = false;

  constructor(kind: string) {
    this.kind = kind;
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  /** `param` names the request field that carried the id: 'id' (URL path) gives 404, others 400. */
  getOrThrow(id: string, param = 'id'): T {
    const item = this.items.get(id);
    if (!item) throw noSuch(this.kind, id, param);
    return item;
  }

  set(item: T): T {
    if (this.livemode && 'livemode' in item) (item as { livemode: boolean }).livemode = true;
    this.items.set(item.id, item);
    return item;
  }

  delete(id: string): void {
    this.items.delete(id);
  }

  newestFirst(): T[] {
    return [...this.items.values()].reverse();
  }

  clear(): void {
    this.items.clear();
  }

  /** Every object in creation order (what a snapshot saves; `load` restores the same order). */
  all(): T[] {
    return [...this.items.values()];
  }

  load(items: readonly T[]): void {
    this.items.clear();
    for (const item of items) this.items.set(item.id, item);
  }
}

/** Proration lines waiting for the subscription's next invoice (proration_behavior=create_prorations). */
export interface PendingLine {
  id: string;
  amount: number;
  description: string;
  price: Stripe.Price;
  quantity: number;
  subscriptionItem: string;
  period: { start: number; end: number };
}

/** Checkout's `subscription_data[...]`, kept until the session completes. */
export interface SubscriptionData {
  trialDays: number | null;
  metadata: Record<string, string>;
  description: string | null;
}

export class Store {
  /** A live-mode store (an account's live keys): its objects and events say livemode: true. */
  livemode = false;
  readonly customers = new Collection<Stripe.Customer>('customer');
  readonly products = new Collection<Stripe.Product>('product');
  readonly prices = new Collection<Stripe.Price>('price');
  readonly paymentMethods = new Collection<Stripe.PaymentMethod>('payment_method');
  readonly checkoutSessions = new Collection<Stripe.Checkout.Session>('checkout.session');
  readonly subscriptions = new Collection<Stripe.Subscription>('subscription');
  readonly invoices = new Collection<Stripe.Invoice>('invoice');
  readonly invoicePayments = new Collection<Stripe.InvoicePayment>('invoice_payment');
  readonly paymentIntents = new Collection<Stripe.PaymentIntent>('payment_intent');
  readonly charges = new Collection<Stripe.Charge>('charge');
  readonly refunds = new Collection<Stripe.Refund>('refund');
  readonly portalSessions = new Collection<Stripe.BillingPortal.Session>('billing_portal.session');
  readonly events = new Collection<Stripe.Event>('event');
  readonly webhookEndpoints = new Collection<Stripe.WebhookEndpoint>('webhook_endpoint');
  readonly testClocks = new Collection<Stripe.TestHelpers.TestClock>('test_helpers.test_clock');

  // State Stripe keeps but does not expose as fields of the objects above.
  readonly deletedCustomers = new Set<string>();
  readonly cardNumbers = new Map<string, string>();
  readonly failNextCharges = new Map<string, number>();
  readonly pendingLines = new Map<string, PendingLine[]>();
  readonly sessionLineItems = new Map<string, Stripe.LineItem[]>();
  readonly sessionSubscriptionData = new Map<string, SubscriptionData>();
  readonly trialWillEndSent = new Set<string>();
  readonly endpointSecrets = new Map<string, string>();

  private readonly byPrefix: Record<string, Collection<{ id: string }>> = {
    cus: this.customers,
    prod: this.products,
    price: this.prices,
    pm: this.paymentMethods,
    cs: this.checkoutSessions,
    sub: this.subscriptions,
    in: this.invoices,
    inpay: this.invoicePayments,
    pi: this.paymentIntents,
    ch: this.charges,
    re: this.refunds,
    bps: this.portalSessions,
    evt: this.events,
    we: this.webhookEndpoints,
    clock: this.testClocks,
  };

  /** Makes this the store of an account's live mode. */
  setLivemode(): void {
    this.livemode = true;
    for (const collection of Object.values(this.byPrefix)) collection.livemode = true;
  }

  /** Looks an object up by its id prefix; used by expand[]. */
  findById(id: string): { id: string } | undefined {
    return this.byPrefix[idPrefix(id)]?.get(id);
  }

  /** The collections by id prefix, for snapshots. */
  collections(): Readonly<Record<string, Collection<{ id: string }>>> {
    return this.byPrefix;
  }

  reset(): void {
    for (const collection of Object.values(this.byPrefix)) collection.clear();
    this.deletedCustomers.clear();
    this.cardNumbers.clear();
    this.failNextCharges.clear();
    this.pendingLines.clear();
    this.sessionLineItems.clear();
    this.sessionSubscriptionData.clear();
    this.trialWillEndSent.clear();
    this.endpointSecrets.clear();
  }
}
