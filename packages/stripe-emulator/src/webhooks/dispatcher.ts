import type Stripe from 'stripe';
import type { EventSink } from '../billing/events.ts';
import { newId } from '../core/ids.ts';
import type { Store } from '../core/store.ts';
import { sendEvent, type DeliveryRecord, type SendResult } from './delivery.ts';
import { shuffle, type WebhookFaults } from './faults.ts';

interface QueueItem {
  seq: number;
  event: Stripe.Event;
  endpointId: string;
  attempt: number;
  dueAt: number;
  /** Copies of a concurrent duplicate share a group and are sent together. */
  group: number | null;
}

export interface DispatcherOptions {
  store: Store;
  retryBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

const MAX_LOG = 10_000;

/**
 * Delivers events to every enabled endpoint. Each endpoint has its own queue worked one delivery
 * at a time, oldest event first; a failed delivery is retried with exponential backoff and, while
 * it waits, later events go ahead, so one failing event never blocks an endpoint for long.
 */
export class WebhookDispatcher implements EventSink {
  faults: WebhookFaults = {};
  readonly deliveries: DeliveryRecord[] = [];
  private readonly options: DispatcherOptions;
  private queue: QueueItem[] = [];
  private dropped: QueueItem[] = [];
  private readonly reorderBuffers = new Map<string, { events: Stripe.Event[]; timer: NodeJS.Timeout }>();
  private readonly busy = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private idleWaiters: Array<() => void> = [];
  private seq = 0;
  private group = 0;
  private generation = 0;

  constructor(options: DispatcherOptions) {
    this.options = options;
  }

  endpointCount(type: string): number {
    return this.endpointsFor(type).length;
  }

  enqueue(event: Stripe.Event): void {
    for (const endpoint of this.endpointsFor(event.type)) {
      const reorder = this.faults.reorder;
      if (reorder) this.buffer(endpoint.id, event, reorder);
      else this.push(endpoint.id, [event]);
    }
  }

  /** Resolves once nothing is queued, buffered or in flight (reorder buffers are released first). */
  async flush(timeoutMs: number): Promise<boolean> {
    for (const endpointId of [...this.reorderBuffers.keys()]) this.releaseBuffer(endpointId);
    if (this.isIdle()) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const settled = await Promise.race([idle, timeout]);
    clearTimeout(timer);
    return settled;
  }

  pendingCount(): number {
    let buffered = 0;
    for (const buffer of this.reorderBuffers.values()) buffered += buffer.events.length;
    return this.queue.length + buffered;
  }

  /** Stops dropping and re-sends everything dropped so far, in its original order. */
  replay(): number {
    this.faults = { ...this.faults, drop: false };
    const items = this.dropped.sort((a, b) => a.seq - b.seq);
    this.dropped = [];
    for (const item of items) this.queue.push({ ...item, attempt: 1, dueAt: Date.now() });
    for (const endpointId of new Set(items.map((i) => i.endpointId))) this.pump(endpointId);
    return items.length;
  }

  reset(): void {
    this.generation += 1;
    this.queue = [];
    this.dropped = [];
    this.faults = {};
    this.deliveries.length = 0;
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const buffer of this.reorderBuffers.values()) clearTimeout(buffer.timer);
    this.timers.clear();
    this.reorderBuffers.clear();
    this.busy.clear();
    this.notifyIfIdle();
  }

  private endpointsFor(type: string): Stripe.WebhookEndpoint[] {
    return this.options.store.webhookEndpoints
      .newestFirst()
      .reverse()
      .filter((e) => e.status === 'enabled' && (e.enabled_events.includes('*') || e.enabled_events.includes(type)));
  }

  private buffer(endpointId: string, event: Stripe.Event, reorder: { batchSize: number; windowMs: number }): void {
    let buffer = this.reorderBuffers.get(endpointId);
    if (!buffer) {
      buffer = { events: [], timer: setTimeout(() => this.releaseBuffer(endpointId), reorder.windowMs) };
      this.reorderBuffers.set(endpointId, buffer);
    }
    buffer.events.push(event);
    if (buffer.events.length >= reorder.batchSize) this.releaseBuffer(endpointId);
  }

  private releaseBuffer(endpointId: string): void {
    const buffer = this.reorderBuffers.get(endpointId);
    if (!buffer) return;
    clearTimeout(buffer.timer);
    this.reorderBuffers.delete(endpointId);
    this.push(endpointId, shuffle(buffer.events));
  }

  private push(endpointId: string, events: Stripe.Event[]): void {
    const duplicate = this.faults.duplicate;
    for (const event of events) {
      const copies = duplicate?.count ?? 1;
      const group = duplicate?.concurrent ? ++this.group : null;
      for (let i = 0; i < copies; i++) {
        this.queue.push({ seq: ++this.seq, event, endpointId, attempt: 1, dueAt: Date.now(), group });
      }
    }
    this.pump(endpointId);
  }

  /** Sends the endpoint's next due delivery (or concurrent group), then looks for the next one. */
  private pump(endpointId: string): void {
    if (this.busy.has(endpointId)) return;
    const now = Date.now();
    const mine = this.queue.filter((i) => i.endpointId === endpointId);
    const due = mine.filter((i) => i.dueAt <= now).sort((a, b) => a.seq - b.seq)[0];
    if (!due) {
      this.scheduleWake(endpointId, mine);
      this.notifyIfIdle();
      return;
    }
    const batch = due.group === null ? [due] : mine.filter((i) => i.group === due.group && i.dueAt <= now);
    this.queue = this.queue.filter((i) => !batch.includes(i));
    this.busy.add(endpointId);
    const generation = this.generation;
    void Promise.all(batch.map((item) => this.attempt(item))).finally(() => {
      if (generation !== this.generation) return;
      this.busy.delete(endpointId);
      this.pump(endpointId);
    });
  }

  private scheduleWake(endpointId: string, items: QueueItem[]): void {
    clearTimeout(this.timers.get(endpointId));
    this.timers.delete(endpointId);
    if (items.length === 0) return;
    const wakeAt = Math.min(...items.map((i) => i.dueAt));
    this.timers.set(
      endpointId,
      setTimeout(() => this.pump(endpointId), Math.max(0, wakeAt - Date.now())),
    );
  }

  private async attempt(item: QueueItem): Promise<void> {
    const endpoint = this.options.store.webhookEndpoints.get(item.endpointId);
    const secret = this.options.store.endpointSecrets.get(item.endpointId);
    if (!endpoint || !secret) return;
    if (this.faults.drop) {
      this.dropped.push(item);
      this.record(item, endpoint.url, { ok: false, status: null, error: 'dropped by drop_then_replay fault', durationMs: 0 }, false, 'dropped');
      return;
    }
    if (this.faults.delayMs) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
    const badSignature = this.takeBadSignature();
    const generation = this.generation;
    const result = await sendEvent({ url: endpoint.url, secret, event: item.event, badSignature, timeoutMs: this.options.timeoutMs });
    if (generation !== this.generation) return;
    this.record(item, endpoint.url, result, badSignature, result.ok ? 'succeeded' : 'failed');
    if (result.ok) {
      const stored = this.options.store.events.get(item.event.id);
      if (stored) stored.pending_webhooks = Math.max(0, stored.pending_webhooks - 1);
    } else if (item.attempt < this.options.maxAttempts) {
      const backoff = this.options.retryBaseMs * 2 ** (item.attempt - 1);
      this.queue.push({ ...item, attempt: item.attempt + 1, dueAt: Date.now() + backoff, group: null });
    }
  }

  private takeBadSignature(): boolean {
    const bad = this.faults.badSignature;
    if (!bad) return false;
    if (bad.remaining === null) return true;
    if (bad.remaining <= 0) return false;
    bad.remaining -= 1;
    return true;
  }

  private record(item: QueueItem, url: string, result: SendResult, badSignature: boolean, outcome: DeliveryRecord['outcome']): void {
    this.deliveries.push({
      id: newId('whdel'),
      eventId: item.event.id,
      type: item.event.type,
      endpointId: item.endpointId,
      url,
      attempt: item.attempt,
      status: result.status,
      outcome,
      error: result.error,
      signedWithWrongSecret: badSignature,
      at: new Date().toISOString(),
      durationMs: result.durationMs,
    });
    if (this.deliveries.length > MAX_LOG) this.deliveries.splice(0, this.deliveries.length - MAX_LOG);
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.busy.size === 0 && this.reorderBuffers.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
