import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freeSubscription, subscription } from '../test/fixtures.ts';
import { backoffDelay, GIVE_UP_AFTER_MS, startCheckoutWait, type WaitOptions, type WaitState } from './checkout-wait.ts';
import type { VerifyCheckoutResult } from './types.ts';

const active = subscription();
const pending: VerifyCheckoutResult = { status: 'pending', subscription: null };
const complete = (sub = active): VerifyCheckoutResult => ({ status: 'complete', subscription: sub });
const FREE = freeSubscription({ id: 'sub_free' });

function run(overrides: Partial<WaitOptions>) {
  const states: WaitState[] = [];
  const options: WaitOptions = {
    verify: vi.fn(async () => pending),
    fetchStatus: vi.fn(async () => pending),
    onState: (s) => states.push(s),
    isFatal: (e) => e instanceof Error && e.message === 'session',
    isNotFound: (e) => e instanceof Error && e.message === 'not found',
    ...overrides,
  };
  const stop = startCheckoutWait(options);
  const phases = () => states.map((s) => s.phase);
  return { options, states, phases, stop, last: () => states.at(-1) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('grows by half each time up to 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(backoffDelay)).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
  });
});

describe('startCheckoutWait', () => {
  it('confirms at once when verify fulfils the session', async () => {
    const w = run({ verify: vi.fn(async () => ({ status: 'complete' as const, subscription: active })) });
    await vi.advanceTimersByTimeAsync(0);
    expect(w.phases()).toEqual(['verifying', 'confirmed']);
    expect(w.options.fetchStatus).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.phases()).toEqual(['verifying', 'confirmed']);
  });

  it('reports an expired checkout session without polling', async () => {
    const w = run({ verify: vi.fn(async () => ({ status: 'expired' as const, subscription: null })) });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.phases()).toEqual(['verifying', 'expired']);
    expect(w.options.fetchStatus).not.toHaveBeenCalled();
  });

  it('polls with backoff after a pending verify until the subscription is live', async () => {
    const fetchStatus = vi
      .fn<() => Promise<VerifyCheckoutResult>>()
      .mockResolvedValueOnce(pending)
      .mockResolvedValueOnce(complete(subscription({ status: 'INCOMPLETE' })))
      .mockResolvedValue(complete());
    const w = run({ fetchStatus });
    await vi.advanceTimersByTimeAsync(999);
    expect(fetchStatus).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1); // 1 s
    expect(fetchStatus).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_500); // 2.5 s
    expect(fetchStatus).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_250); // 4.75 s
    expect(fetchStatus).toHaveBeenCalledTimes(3);
    expect(w.last()).toEqual({ phase: 'confirmed', subscription: active });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fetchStatus).toHaveBeenCalledTimes(3);
  });

  it('a failed verify or poll (network) keeps polling', async () => {
    const fetchStatus = vi.fn<() => Promise<VerifyCheckoutResult>>().mockRejectedValueOnce(new Error('network')).mockResolvedValue(complete());
    const w = run({ verify: vi.fn(async () => Promise.reject(new Error('network'))), fetchStatus });
    await vi.advanceTimersByTimeAsync(2_500);
    expect(fetchStatus).toHaveBeenCalledTimes(2);
    expect(w.last()?.phase).toBe('confirmed');
  });

  it('gives up spinning after 30 s with "slow", then checks quietly every 10 s and still confirms', async () => {
    const fetchStatus = vi.fn<() => Promise<VerifyCheckoutResult>>().mockResolvedValue(pending);
    const w = run({ fetchStatus });
    await vi.advanceTimersByTimeAsync(GIVE_UP_AFTER_MS - 1);
    expect(w.phases()).not.toContain('slow');
    await vi.advanceTimersByTimeAsync(1);
    expect(w.last()).toEqual({ phase: 'slow' });
    const callsAtGiveUp = fetchStatus.mock.calls.length;
    expect(callsAtGiveUp).toBe(8); // at 1, 2.5, 4.75, 8.1, 13.1, 18.1, 23.1 and 28.1 s
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fetchStatus.mock.calls.length - callsAtGiveUp).toBeLessThanOrEqual(4);
    expect(w.phases().filter((p) => p === 'slow')).toHaveLength(1);
    expect(w.phases().lastIndexOf('polling')).toBeLessThan(w.phases().indexOf('slow'));
    fetchStatus.mockResolvedValue(complete());
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.last()?.phase).toBe('confirmed');
  });

  it('stops checking after 5 minutes', async () => {
    const fetchStatus = vi.fn(async () => pending);
    run({ fetchStatus });
    await vi.advanceTimersByTimeAsync(5 * 60_000 + 10_000);
    const calls = fetchStatus.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fetchStatus.mock.calls.length).toBe(calls);
  });

  it('gives up on time even when a request never answers', async () => {
    const w = run({ verify: () => new Promise<VerifyCheckoutResult>(() => {}) });
    await vi.advanceTimersByTimeAsync(GIVE_UP_AFTER_MS);
    expect(w.phases()).toEqual(['verifying', 'slow']);
  });

  it('stops on a fatal error (expired subscriber session)', async () => {
    const fetchStatus = vi.fn(async () => Promise.reject(new Error('session')));
    const w = run({ fetchStatus });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.last()).toMatchObject({ phase: 'failed' });
    expect(fetchStatus).toHaveBeenCalledTimes(1);
    expect(w.phases()).not.toContain('slow');
  });

  it('stops at once when verify says the checkout is none of this subscriber\'s: no polling, never "slow"', async () => {
    const w = run({ verify: vi.fn(async () => Promise.reject(new Error('not found'))) });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.phases()).toEqual(['verifying', 'not_found']);
    expect(w.options.fetchStatus).not.toHaveBeenCalled();
  });

  it('stops when a poll says the checkout is not found (verify failed otherwise)', async () => {
    const fetchStatus = vi.fn(async () => Promise.reject(new Error('not found')));
    const w = run({ verify: vi.fn(async () => Promise.reject(new Error('network'))), fetchStatus });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.last()).toEqual({ phase: 'not_found' });
    expect(fetchStatus).toHaveBeenCalledTimes(1);
  });

  it('waits for the subscription the checkout bought: a free plan already active never confirms it, even when verify fails', async () => {
    let bought = false;
    const fetchStatus = vi.fn(async (): Promise<VerifyCheckoutResult> => (bought ? complete() : pending));
    const w = run({ verify: vi.fn(async () => Promise.reject(new Error('PROVIDER_ERROR'))), fetchStatus });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetchStatus.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(w.phases()).not.toContain('confirmed');
    bought = true;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(w.last()).toEqual({ phase: 'confirmed', subscription: active });
  });

  it('only a Stripe-backed subscription counts as bought (never a free plan or a manual grant)', async () => {
    const fetchStatus = vi.fn(async () => complete(FREE));
    const w = run({ verify: vi.fn(async () => complete(subscription({ source: 'MANUAL', manageable: false }))), fetchStatus });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.phases()).not.toContain('confirmed');
    expect(fetchStatus).toHaveBeenCalled();
  });

  it('polling learns that the checkout expired (verify failed)', async () => {
    const w = run({
      verify: vi.fn(async () => Promise.reject(new Error('network'))),
      fetchStatus: vi.fn(async () => ({ status: 'expired' as const, subscription: null })),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(w.last()).toEqual({ phase: 'expired' });
  });

  it('stop() ends everything: no more calls, no more states', async () => {
    const w = run({});
    await vi.advanceTimersByTimeAsync(0);
    w.stop();
    const count = w.states.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(w.states).toHaveLength(count);
    expect(w.options.fetchStatus).not.toHaveBeenCalled();
  });
});
