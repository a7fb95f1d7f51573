import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subscription } from '../test/fixtures.ts';
import { backoffDelay, GIVE_UP_AFTER_MS, startCheckoutWait, type WaitOptions, type WaitState } from './checkout-wait.ts';
import type { VerifyCheckoutResult } from './types.ts';

const active = subscription();
const pending: VerifyCheckoutResult = { status: 'pending', subscription: null };

function run(overrides: Partial<WaitOptions>) {
  const states: WaitState[] = [];
  const options: WaitOptions = {
    verify: vi.fn(async () => pending),
    fetchSubscription: vi.fn(async () => null),
    onState: (s) => states.push(s),
    isFatal: (e) => e instanceof Error && e.message === 'session',
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
    expect(w.options.fetchSubscription).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.phases()).toEqual(['verifying', 'confirmed']);
  });

  it('reports an expired checkout session without polling', async () => {
    const w = run({ verify: vi.fn(async () => ({ status: 'expired' as const, subscription: null })) });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.phases()).toEqual(['verifying', 'expired']);
    expect(w.options.fetchSubscription).not.toHaveBeenCalled();
  });

  it('polls with backoff after a pending verify until the subscription is live', async () => {
    const fetchSubscription = vi
      .fn<() => Promise<typeof active | null>>()
      .mockResolvedValueOnce(null)
      .mockResolvedValueOnce(subscription({ status: 'INCOMPLETE' }))
      .mockResolvedValue(active);
    const w = run({ fetchSubscription });
    await vi.advanceTimersByTimeAsync(999);
    expect(fetchSubscription).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1); // 1 s
    expect(fetchSubscription).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_500); // 2.5 s
    expect(fetchSubscription).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_250); // 4.75 s
    expect(fetchSubscription).toHaveBeenCalledTimes(3);
    expect(w.last()).toEqual({ phase: 'confirmed', subscription: active });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fetchSubscription).toHaveBeenCalledTimes(3);
  });

  it('a failed verify or poll (network) keeps polling', async () => {
    const fetchSubscription = vi.fn<() => Promise<typeof active | null>>().mockRejectedValueOnce(new Error('network')).mockResolvedValue(active);
    const w = run({ verify: vi.fn(async () => Promise.reject(new Error('network'))), fetchSubscription });
    await vi.advanceTimersByTimeAsync(2_500);
    expect(fetchSubscription).toHaveBeenCalledTimes(2);
    expect(w.last()?.phase).toBe('confirmed');
  });

  it('gives up spinning after 30 s with "slow", then checks quietly every 10 s and still confirms', async () => {
    const fetchSubscription = vi.fn<() => Promise<typeof active | null>>().mockResolvedValue(null);
    const w = run({ fetchSubscription });
    await vi.advanceTimersByTimeAsync(GIVE_UP_AFTER_MS - 1);
    expect(w.phases()).not.toContain('slow');
    await vi.advanceTimersByTimeAsync(1);
    expect(w.last()).toEqual({ phase: 'slow' });
    const callsAtGiveUp = fetchSubscription.mock.calls.length;
    expect(callsAtGiveUp).toBe(8); // at 1, 2.5, 4.75, 8.1, 13.1, 18.1, 23.1 and 28.1 s
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fetchSubscription.mock.calls.length - callsAtGiveUp).toBeLessThanOrEqual(4);
    expect(w.phases().filter((p) => p === 'slow')).toHaveLength(1);
    expect(w.phases().lastIndexOf('polling')).toBeLessThan(w.phases().indexOf('slow'));
    fetchSubscription.mockResolvedValue(active);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.last()?.phase).toBe('confirmed');
  });

  it('stops checking after 5 minutes', async () => {
    const fetchSubscription = vi.fn(async () => null);
    run({ fetchSubscription });
    await vi.advanceTimersByTimeAsync(5 * 60_000 + 10_000);
    const calls = fetchSubscription.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fetchSubscription.mock.calls.length).toBe(calls);
  });

  it('gives up on time even when a request never answers', async () => {
    const w = run({ verify: () => new Promise<VerifyCheckoutResult>(() => {}) });
    await vi.advanceTimersByTimeAsync(GIVE_UP_AFTER_MS);
    expect(w.phases()).toEqual(['verifying', 'slow']);
  });

  it('stops on a fatal error (expired subscriber session)', async () => {
    const fetchSubscription = vi.fn(async () => Promise.reject(new Error('session')));
    const w = run({ fetchSubscription });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.last()).toMatchObject({ phase: 'failed' });
    expect(fetchSubscription).toHaveBeenCalledTimes(1);
    expect(w.phases()).not.toContain('slow');
  });

  it('stop() ends everything: no more calls, no more states', async () => {
    const w = run({});
    await vi.advanceTimersByTimeAsync(0);
    w.stop();
    const count = w.states.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(w.states).toHaveLength(count);
    expect(w.options.fetchSubscription).not.toHaveBeenCalled();
  });
});
