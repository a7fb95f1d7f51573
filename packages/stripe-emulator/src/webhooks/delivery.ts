import type Stripe from 'stripe';
import { signatureHeader } from './signature.ts';

export interface DeliveryRecord {
  id: string;
  eventId: string;
  type: string;
  endpointId: string;
  url: string;
  attempt: number;
  /** HTTP status of the receiver's answer; null for a network error or a dropped delivery. */
  status: number | null;
  outcome: 'succeeded' | 'failed' | 'dropped';
  error: string | null;
  signedWithWrongSecret: boolean;
  /** Real wall-clock time of the attempt (ISO 8601). */
  at: string;
  durationMs: number;
}

export interface SendResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

const WRONG_SECRET = 'whsec_this_is_not_the_endpoint_secret';

/** One POST to the receiver, signed like Stripe (with the real time, so constructEvent's tolerance holds). */
export async function sendEvent(input: { url: string; secret: string; event: Stripe.Event; badSignature: boolean; timeoutMs: number }): Promise<SendResult> {
  const payload = JSON.stringify(input.event, null, 2);
  const started = Date.now();
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': signatureHeader(payload, input.badSignature ? WRONG_SECRET : input.secret),
      },
      body: payload,
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    await response.arrayBuffer();
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `HTTP ${response.status}`, durationMs: Date.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, status: null, error: cause ?? (error as Error).message, durationMs: Date.now() - started };
  }
}
