import type { BillingSubscription, VerifyCheckoutResult } from './types.ts';

/**
 * After Stripe Checkout: wait for the subscription that checkout bought. The
 * verify call first (it fulfils at once when the session is paid), then
 * polling the checkout's status with backoff. Both answer about this checkout
 * only, so a free plan or another subscription the subscriber already had
 * never confirms it. It never spins forever: after `giveUpAfterMs` it reports
 * `slow` (the payment is being processed) and keeps checking quietly a while.
 */
export type WaitState =
  | { phase: 'verifying' }
  | { phase: 'polling'; attempt: number }
  | { phase: 'confirmed'; subscription: BillingSubscription }
  | { phase: 'expired' }
  /** The id is no checkout of this subscriber's (mistyped, or another account's): nothing will ever confirm it. */
  | { phase: 'not_found' }
  | { phase: 'slow' }
  | { phase: 'failed'; error: unknown };

export interface WaitOptions {
  verify(): Promise<VerifyCheckoutResult>;
  /** `billing.checkout.status`: the same answer from the server's records, without calling Stripe. */
  fetchStatus(): Promise<VerifyCheckoutResult>;
  onState(state: WaitState): void;
  /** Errors that stop everything (an expired subscriber session); others are retried. */
  isFatal?(error: unknown): boolean;
  /** Errors that mean the checkout does not exist for this subscriber: stop at once with `not_found`. */
  isNotFound?(error: unknown): boolean;
  giveUpAfterMs?: number;
  /** After giving up, keep checking quietly every `quietIntervalMs` until `stopAfterMs` from the start. */
  quietIntervalMs?: number;
  stopAfterMs?: number;
  now?(): number;
}

export const GIVE_UP_AFTER_MS = 30_000;

/** 1 s, 1.5 s, 2.25 s, 3.4 s, then every 5 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(5_000, Math.round(1_000 * 1.5 ** attempt));
}

/** Live means the subscriber has what they paid for: a Stripe-backed subscription that is active or trialing. */
export function isLive(sub: BillingSubscription | null): sub is BillingSubscription {
  return sub !== null && sub.source === 'CHECKOUT' && (sub.status === 'ACTIVE' || sub.status === 'TRIALING');
}

/** What one answer about the checkout means: done, expired, or keep waiting (null). */
function outcome(result: VerifyCheckoutResult): WaitState | null {
  if (result.status === 'complete' && isLive(result.subscription)) return { phase: 'confirmed', subscription: result.subscription };
  // A subscription bought and live (above) wins over a session that has expired since.
  if (result.status === 'expired') return { phase: 'expired' };
  return null;
}

/** Starts waiting; returns a function that stops it (no more calls, no more states). */
export function startCheckoutWait(options: WaitOptions): () => void {
  const now = options.now ?? Date.now;
  const giveUpAfter = options.giveUpAfterMs ?? GIVE_UP_AFTER_MS;
  const quietInterval = options.quietIntervalMs ?? 10_000;
  const stopAfter = options.stopAfterMs ?? 5 * 60_000;
  const started = now();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gaveUp = false;
  // Its own timer, so a request that hangs cannot keep the spinner going.
  const giveUpTimer = setTimeout(() => {
    gaveUp = true;
    emit({ phase: 'slow' });
  }, giveUpAfter);

  const emit = (state: WaitState) => {
    if (!stopped) options.onState(state);
  };
  const stop = () => {
    stopped = true;
    clearTimeout(giveUpTimer);
    if (timer !== undefined) clearTimeout(timer);
  };
  const finish = (state: WaitState) => {
    emit(state);
    stop();
  };
  const fatal = (error: unknown) => options.isFatal?.(error) ?? false;
  /** The end an error means, or null to keep checking. */
  const ending = (error: unknown): WaitState | null =>
    options.isNotFound?.(error) ? { phase: 'not_found' } : fatal(error) ? { phase: 'failed', error } : null;

  const schedule = (attempt: number) => {
    const elapsed = now() - started;
    if (elapsed >= stopAfter) return stop();
    const delay = gaveUp ? quietInterval : backoffDelay(attempt);
    timer = setTimeout(() => void poll(attempt + 1), delay);
  };

  /** One request (verify or status): finishes when its answer or its error decides, else checks again (`next`). */
  const check = async (request: () => Promise<VerifyCheckoutResult>, next: () => void) => {
    try {
      const result = await request();
      if (stopped) return;
      const done = outcome(result);
      if (done) return finish(done);
    } catch (error) {
      if (stopped) return;
      const end = ending(error);
      if (end) return finish(end);
    }
    next();
  };

  const poll = async (attempt: number) => {
    if (stopped) return;
    if (!gaveUp) emit({ phase: 'polling', attempt });
    await check(
      () => options.fetchStatus(),
      () => schedule(attempt),
    );
  };

  const begin = async () => {
    emit({ phase: 'verifying' });
    await check(
      () => options.verify(),
      () => schedule(0),
    );
  };

  void begin();
  return stop;
}
