import type { EventBus } from '../billing/events.ts';
import type { VirtualClock } from './clock.ts';
import type { Store } from './store.ts';

/**
 * What happens when a past_due subscription's invoice has failed `maxAttempts` times:
 * 'cancel' (Stripe's default setting) cancels the subscription, 'unpaid' marks it unpaid.
 */
export interface DunningSettings {
  retryIntervalSeconds: number;
  maxAttempts: number;
  finalAction: 'cancel' | 'unpaid';
}

export interface Settings {
  /** Public base URL of this emulator, used in hosted page URLs. Set once the port is known. */
  baseUrl: string;
  dunning: DunningSettings;
  /** The Stripe account this state belongs to (GET /v1/account): the default one, or one made by POST /__emulator/accounts. */
  accountId: string;
}

/** Everything domain code needs, built once by the composition root. */
export interface Ctx {
  store: Store;
  clock: VirtualClock;
  events: EventBus;
  settings: Settings;
}
