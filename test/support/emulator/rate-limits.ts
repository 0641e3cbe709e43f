/**
 * Call-rate quotas on simulated time, as a sliding window: a call is admitted when fewer than
 * `limit` calls with the same key were admitted in the window that ends at the call. A refused
 * call takes no room, so a client that backs off gets through once the window has moved on.
 */

export interface RateLimit {
  /** What the quota counts, e.g. `StartEdgeConfigurationUpdate stream:<arn>`. */
  readonly key: string;
  /** Calls admitted per window. */
  readonly limit: number;
  /** Reported with a refusal. */
  readonly scope: 'account' | 'stream';
}

/** Length of the window: the quotas are per second. */
const WINDOW_MS = 1_000;

export class SlidingWindowRateLimiter {
  /** Simulated ms of the admitted calls, per key. */
  private readonly admitted = new Map<string, number[]>();

  /**
   * Admits a call at simulated time `now` if every limit has room, and then counts it against all
   * of them; otherwise returns the first limit that is full and counts nothing.
   */
  public admit(limits: readonly RateLimit[], now: number): RateLimit | undefined {
    // A call exactly WINDOW_MS after an admitted one no longer competes with it.
    const windowStart = now - WINDOW_MS;
    for (const limit of limits) {
      const recent = (this.admitted.get(limit.key) ?? []).filter((at) => at > windowStart);
      this.admitted.set(limit.key, recent);
      if (recent.length >= limit.limit) return limit;
    }
    for (const limit of limits) this.admitted.get(limit.key)?.push(now);
    return undefined;
  }

  public clear(): void {
    this.admitted.clear();
  }
}
