import type { Logger } from 'pino';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** While open, how often `probe` is tried in the background. */
  probeIntervalMs: number;
  /** One cheap call to the dependency (a Redis PING): resolves when it answers. */
  probe: () => Promise<unknown>;
  /** What the dependency is, for the log lines. */
  name: string;
  log?: Logger;
  /** Called when the circuit closes again (the fallback may drop its state). */
  onClose?: () => void;
}

/**
 * A circuit breaker for a dependency on the hot path. Closed, calls go
 * through; after `failureThreshold` consecutive failures it opens, and callers
 * check `isOpen` to skip the dependency (no waiting, no timeout) and use their
 * fallback. While open, a background probe runs every `probeIntervalMs`; the
 * first success closes it, so the service recovers by itself, without a
 * request ever being the one that waits to find out.
 */
export class CircuitBreaker {
  private failures = 0;
  private open = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get isOpen(): boolean {
    return this.open;
  }

  recordSuccess(): void {
    this.failures = 0;
  }

  recordFailure(error: unknown): void {
    if (this.open || ++this.failures < this.options.failureThreshold) return;
    this.open = true;
    this.options.log?.warn({ err: error }, `${this.options.name} unavailable: circuit open, using the in-memory fallback`);
    this.probeTimer = setInterval(() => void this.runProbe(), this.options.probeIntervalMs);
    this.probeTimer.unref();
  }

  private async runProbe(): Promise<void> {
    if (this.probing || !this.open) return;
    this.probing = true;
    try {
      await this.options.probe();
      this.closeCircuit();
      this.options.log?.info(`${this.options.name} is back: circuit closed`);
    } catch {
      // still away: the next probe tries again
    } finally {
      this.probing = false;
    }
  }

  private closeCircuit(): void {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    this.open = false;
    this.failures = 0;
    this.options.onClose?.();
  }

  /** Stops probing (on shutdown). */
  stop(): void {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }
}
