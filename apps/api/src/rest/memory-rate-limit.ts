/** A fixed window's count for one subject. */
interface Window {
  window: number;
  count: number;
}

/** Subjects tracked at most; past this the oldest windows are dropped (they are for an outage, not for ever). */
const MAX_SUBJECTS = 100_000;

/**
 * The per-instance limit used while Redis cannot be reached (the shape of
 * rate-limiter-flexible's insurance limiter): the same one-minute fixed
 * windows, counted in this process's memory. Each instance allows its share
 * of the limit, `ceil(limit / instances)`, so that N instances together stay
 * near the shared limit. Counts start from zero when it takes over and are
 * dropped when Redis is back (Redis's own count resumes).
 */
export class MemoryRateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly instances = 1) {}

  private shareOf(limit: number): number {
    return Math.ceil(limit / this.instances);
  }

  /** Counts one request; the count and whether it is within this instance's share. */
  hit(subject: string, limit: number, window: number): { allowed: boolean; count: number } {
    let entry = this.windows.get(subject);
    if (entry?.window !== window) {
      if (!entry && this.windows.size >= MAX_SUBJECTS) this.windows.delete(this.windows.keys().next().value!);
      entry = { window, count: 0 };
      this.windows.set(subject, entry);
    }
    entry.count++;
    return { allowed: entry.count <= this.shareOf(limit), count: entry.count };
  }

  /** The count if `subject` has used up its share of `limit` this window, without counting; null when under it. */
  exhausted(subject: string, limit: number, window: number): number | null {
    const entry = this.windows.get(subject);
    return entry?.window === window && entry.count >= this.shareOf(limit) ? entry.count : null;
  }

  clear(): void {
    this.windows.clear();
  }
}
