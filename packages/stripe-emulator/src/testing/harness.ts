import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '../emulator.ts';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  /** The event as verified by stripe.webhooks.constructEvent; null when the signature was rejected. */
  event: Stripe.Event | null;
  status: number;
}

/** A local webhook endpoint that verifies every delivery with the real stripe library. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Decides the HTTP status of each delivery (after signature verification passed). */
  respond: (event: Stripe.Event, index: number) => number = () => 200;
  /** How long the receiver takes to answer, to observe concurrent deliveries. */
  latencyMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  url = '';
  private server: Server | null = null;
  private readonly secret: string;
  private readonly verifier = new Stripe('sk_test_verifier');

  constructor(secret: string) {
    this.secret = secret;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
        this.inFlight -= 1;
        const raw = Buffer.concat(chunks).toString('utf8');
        let event: Stripe.Event | null;
        try {
          event = this.verifier.webhooks.constructEvent(raw, String(req.headers['stripe-signature']), this.secret);
        } catch {
          event = null;
        }
        const status = event ? this.respond(event, this.received.length) : 400;
        this.received.push({ headers: req.headers, raw, event, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/webhooks`;
  }

  /** Events accepted (2xx) by the receiver, in arrival order. */
  accepted(): Stripe.Event[] {
    return this.received.filter((r) => r.event && r.status < 300).map((r) => r.event as Stripe.Event);
  }

  types(): string[] {
    return this.accepted().map((e) => e.type);
  }

  clear(): void {
    this.received.length = 0;
    this.respond = () => 200;
    this.latencyMs = 0;
    this.maxInFlight = 0;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export interface Harness {
  emulator: StripeEmulator;
  stripe: Stripe;
  receiver: WebhookReceiver;
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  flush(): Promise<void>;
  /**
   * Moves the virtual clock to `at` (unix seconds, never backwards), running what falls due on the way.
   * Tests move to a time read from Stripe (a period end, a retry) rather than by a fixed number of days,
   * which would land on a different side of those times depending on the month the test runs in.
   */
  advanceTo(at: number): { now: number; processed: number };
  /** Resets emulator state and the receiver; call in beforeEach. */
  reset(): void;
  close(): Promise<void>;
}

export const TEST_SECRET = 'whsec_test_harness_secret';

/** Starts an emulator on a random port, a verifying webhook receiver, and a real stripe client. */
export async function startHarness(options: Partial<StripeEmulatorOptions> = {}): Promise<Harness> {
  const receiver = new WebhookReceiver(TEST_SECRET);
  await receiver.start();
  const emulator = await startStripeEmulator({
    port: 0,
    webhookUrl: receiver.url,
    webhookSecret: TEST_SECRET,
    webhookRetryBaseMs: 5,
    webhookMaxAttempts: 4,
    ...options,
  });
  const stripe = new Stripe('sk_test_harness', { host: '127.0.0.1', port: emulator.port, protocol: 'http', maxNetworkRetries: 0 });
  return {
    emulator,
    stripe,
    receiver,
    async control<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${emulator.url}/__emulator${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    async flush() {
      const settled = await emulator.flushWebhooks(10_000);
      if (!settled) throw new Error('webhook deliveries did not settle');
    },
    advanceTo(at) {
      return emulator.advanceClock(Math.max(0, at - emulator.ctx.clock.now()));
    },
    reset() {
      emulator.reset();
      receiver.clear();
    },
    async close() {
      await emulator.close();
      await receiver.close();
    },
  };
}
