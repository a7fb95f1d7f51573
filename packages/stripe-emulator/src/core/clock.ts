// The emulator's notion of "now", in unix seconds. It starts at real time and keeps ticking with
// it, plus whatever offset clock advances have added. While the clock processes due work it is
// pinned to each item's due time, so renewal invoices are dated at the period boundary, like
// Stripe test clocks do.
export class VirtualClock {
  private offsetSeconds = 0;
  private pinned: number | null = null;

  now(): number {
    return this.pinned ?? Math.floor(Date.now() / 1000) + this.offsetSeconds;
  }

  /** Moves "now" forward so that now() === target (never backwards). */
  moveTo(target: number): void {
    const real = Math.floor(Date.now() / 1000);
    this.offsetSeconds = Math.max(this.offsetSeconds, target - real);
  }

  runPinned<T>(at: number, fn: () => T): T {
    const previous = this.pinned;
    this.pinned = at;
    try {
      return fn();
    } finally {
      this.pinned = previous;
    }
  }

  /** How far clock advances have moved "now" ahead of real time; saved in snapshots. */
  get offset(): number {
    return this.offsetSeconds;
  }

  restoreOffset(seconds: number): void {
    this.offsetSeconds = Math.max(0, seconds);
  }

  reset(): void {
    this.offsetSeconds = 0;
    this.pinned = null;
  }
}
