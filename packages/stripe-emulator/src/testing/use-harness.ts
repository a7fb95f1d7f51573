import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { StripeEmulatorOptions } from '../emulator.ts';
import { startHarness, type Harness } from './harness.ts';

/**
 * The harness a test file shares: started before its tests, reset before each, closed after them.
 * The object it returns forwards to that harness, so tests use it as they would the harness itself.
 */
export function useHarness(options: Partial<StripeEmulatorOptions> = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
  });
  beforeEach(() => started?.reset());
  afterAll(async () => started?.close());
  const current = (): Harness => {
    if (!started) throw new Error('useHarness: the harness is ready inside tests only');
    return started;
  };
  return {
    get emulator() {
      return current().emulator;
    },
    get stripe() {
      return current().stripe;
    },
    get receiver() {
      return current().receiver;
    },
    control: (method, path, body) => current().control(method, path, body),
    flush: () => current().flush(),
    advanceTo: (at) => current().advanceTo(at),
    reset: () => current().reset(),
    close: () => current().close(),
  };
}
