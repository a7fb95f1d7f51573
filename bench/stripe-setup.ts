/**
 * Bench set-up against the Stripe emulator over plain HTTP (form-encoded, as
 * stripe-node sends it): a price, and subscriptions paid through Checkout,
 * whose current objects become the payloads of the benchmark's events.
 */
import { createHmac } from 'node:crypto';

export class EmulatorClient {
  /** The API version the emulator speaks (its Stripe-Version header, the one the stripe package pins), once it has answered a call. */
  apiVersion: string | undefined;

  constructor(readonly base: string) {}

  async call<T = any>(method: string, path: string, params: Record<string, string | number> = {}): Promise<T> {
    const body = new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))).toString();
    const send = () =>
      fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: 'Bearer sk_test_emulator', 'content-type': 'application/x-www-form-urlencoded' },
        ...(method === 'GET' ? {} : { body }),
      });
    // Once more on a reset connection: on a loaded host a keep-alive socket the emulator just closed gets reused.
    const res = await send().catch(send);
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    this.apiVersion ??= res.headers.get('stripe-version') ?? undefined;
    return json as T;
  }

  async control(path: string, body: unknown): Promise<any> {
    const send = () => fetch(`${this.base}/__emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await send().catch(send); // as in call()
    if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  async createPrice(name: string, amount: number): Promise<string> {
    const product = await this.call('POST', '/v1/products', { name });
    const price = await this.call('POST', '/v1/prices', { product: product.id, unit_amount: amount, currency: 'thb', 'recurring[interval]': 'month' });
    return price.id;
  }

  /** A paid Checkout subscription for one of our customers; returns the current subscription and its first invoice. */
  async subscribe(customerId: string, appId: string, priceId: string): Promise<{ stripeCustomerId: string; subscription: any; invoice: any }> {
    const customer = await this.call('POST', '/v1/customers', { email: `${customerId}@bench.example`, 'metadata[customerId]': customerId });
    const session = await this.call('POST', '/v1/checkout/sessions', {
      mode: 'subscription',
      customer: customer.id,
      'line_items[0][price]': priceId,
      'line_items[0][quantity]': 1,
      success_url: 'http://127.0.0.1/ok?session_id={CHECKOUT_SESSION_ID}',
      client_reference_id: customerId,
      'metadata[customerId]': customerId,
      'metadata[appId]': appId,
      'subscription_data[metadata][customerId]': customerId,
    });
    const paid = await this.control(`/checkout_sessions/${session.id}/pay`, { card: '4242424242424242' });
    const subscription = await this.call('GET', `/v1/subscriptions/${paid.subscription}`);
    const invoice = await this.call('GET', `/v1/invoices/${subscription.latest_invoice}`);
    return { stripeCustomerId: customer.id, subscription, invoice };
  }
}

/** `Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`, exactly what Stripe (and stripe-node's verifier) expects. */
export function signStripePayload(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
