import Stripe from 'stripe';
import { snapshot } from '../core/clone.ts';
import type { VirtualClock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import { requestContext } from '../core/request-context.ts';
import type { Store } from '../core/store.ts';

export type EventType = Stripe.Event['type'];
export type EventFor<T extends EventType> = Extract<Stripe.Event, { type: T }>;
export type EventObject<T extends EventType> = EventFor<T>['data']['object'];

/** The API version the pinned stripe package speaks (its types are what the emulator builds), so the two cannot drift. */
export const API_VERSION = Stripe.API_VERSION;

/** Where events go once stored: the webhook dispatcher. */
export interface EventSink {
  endpointCount(type: string): number;
  enqueue(event: Stripe.Event): void;
}

interface Staged {
  type: EventType;
  object: unknown;
  previous: unknown;
}

export class EventBus {
  private readonly store: Store;
  private readonly clock: VirtualClock;
  private readonly sink: EventSink;

  constructor(store: Store, clock: VirtualClock, sink: EventSink) {
    this.store = store;
    this.clock = clock;
    this.sink = sink;
  }

  /** Stores the event with a snapshot of `object` as it is now, then hands it to the webhooks. */
  emit<T extends EventType>(type: T, object: EventObject<T>, previous?: Partial<EventObject<T>>): EventFor<T> {
    return this.publish(type, snapshot(object), previous ? snapshot(previous) : undefined) as EventFor<T>;
  }

  /**
   * Collects events while a flow mutates objects, snapshotting each at the moment it is added
   * (an invoice.created shows the draft), and emits them in a chosen order on commit.
   */
  batch(): EventBatch {
    return new EventBatch((staged) => {
      for (const s of staged) this.publish(s.type, s.object, s.previous);
    });
  }

  private publish(type: EventType, object: unknown, previous: unknown): Stripe.Event {
    const request = requestContext.getStore();
    const data = previous === undefined ? { object } : { object, previous_attributes: previous };
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.clock.now(),
      data,
      livemode: this.store.livemode,
      pending_webhooks: this.sink.endpointCount(type),
      request: { id: request?.requestId ?? null, idempotency_key: request?.idempotencyKey ?? null },
      type,
    } as Stripe.Event;
    this.store.events.set(event);
    this.sink.enqueue(event);
    return event;
  }
}

export class EventBatch {
  private readonly staged: Staged[] = [];
  private readonly commitFn: (staged: Staged[]) => void;

  constructor(commitFn: (staged: Staged[]) => void) {
    this.commitFn = commitFn;
  }

  add<T extends EventType>(type: T, object: EventObject<T>, previous?: Partial<EventObject<T>>): this {
    this.staged.push({ type, object: snapshot(object), previous: previous ? snapshot(previous) : undefined });
    return this;
  }

  /** Emits staged events; types listed in `order` go first in that order, the rest keep insertion order. */
  commit(order: EventType[] = []): void {
    const rank = (type: EventType) => {
      const at = order.indexOf(type);
      return at < 0 ? order.length : at;
    };
    const sorted = this.staged.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s.type) - rank(b.s.type) || a.i - b.i);
    this.commitFn(sorted.map(({ s }) => s));
    this.staged.length = 0;
  }
}
