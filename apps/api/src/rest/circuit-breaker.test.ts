import { describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.ts';
import { MemoryRateLimiter } from './memory-rate-limit.ts';

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, probes in the background, and closes on the first answer', async () => {
    vi.useFakeTimers();
    try {
      let up = false;
      const probe = vi.fn(async () => {
        if (!up) throw new Error('still down');
      });
      const onClose = vi.fn();
      const breaker = new CircuitBreaker({ name: 'dep', failureThreshold: 2, probeIntervalMs: 1_000, probe, onClose });
      breaker.recordFailure(new Error('a'));
      breaker.recordSuccess(); // a success in between: the count starts again
      breaker.recordFailure(new Error('b'));
      expect(breaker.isOpen).toBe(false);
      breaker.recordFailure(new Error('c'));
      expect(breaker.isOpen).toBe(true);

      await vi.advanceTimersByTimeAsync(2_500);
      expect(probe).toHaveBeenCalledTimes(2);
      expect(breaker.isOpen).toBe(true);
      up = true;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(breaker.isOpen).toBe(false);
      expect(onClose).toHaveBeenCalledOnce();
      await vi.advanceTimersByTimeAsync(5_000);
      expect(probe).toHaveBeenCalledTimes(3); // no probing while closed
      breaker.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('MemoryRateLimiter', () => {
  it('counts fixed windows per subject and allows each instance its share of the limit', () => {
    const memory = new MemoryRateLimiter(3);
    const allowed = Array.from({ length: 5 }, () => memory.hit('app', 10, 7).allowed);
    expect(allowed).toEqual([true, true, true, true, false]); // ceil(10 / 3) = 4
    expect(memory.exhausted('app', 10, 7)).toBe(5);
    expect(memory.exhausted('other', 10, 7)).toBeNull();
    expect(memory.hit('app', 10, 8)).toEqual({ allowed: true, count: 1 }); // the next window
    memory.clear();
    expect(memory.exhausted('app', 10, 8)).toBeNull();
  });
});
