/**
 * Recent latency per route target (time to first byte for streams, whole answer otherwise), as
 * an exponentially weighted moving average, for the `least-latency` strategy. Keys are whatever
 * the caller uses to name a target (the breaker key). Bounded: past `maxEntries` the least
 * recently updated targets are forgotten (and explored again as untried).
 */

/** Weight of the newest sample: ~the last 5–10 samples dominate. */
export const EWMA_ALPHA = 0.3;
export const DEFAULT_MAX_LATENCY_ENTRIES = 10_000;

export class LatencyTracker {
  private readonly averages = new Map<string, number>();

  constructor(
    private readonly alpha = EWMA_ALPHA,
    private readonly maxEntries = DEFAULT_MAX_LATENCY_ENTRIES,
  ) {}

  /** A successful call took `ms`. */
  observe(key: string, ms: number): void {
    const previous = this.averages.get(key);
    const sample = Math.max(0, ms);
    const next = previous === undefined ? sample : previous + this.alpha * (sample - previous);
    this.set(key, next);
  }

  /**
   * A call failed after `ms`. A failure that came back fast must not make a target look fast:
   * it counts as a sample twice as slow as the slower of its own time and the current average.
   */
  penalize(key: string, ms: number): void {
    const previous = this.averages.get(key);
    this.observe(key, 2 * Math.max(ms, previous ?? 0, 1));
  }

  /** The average in ms, or undefined for a target not tried yet. */
  estimate(key: string): number | undefined {
    return this.averages.get(key);
  }

  private set(key: string, value: number): void {
    this.averages.delete(key);
    this.averages.set(key, value);
    if (this.averages.size > this.maxEntries) {
      const oldest = this.averages.keys().next().value;
      if (oldest !== undefined) this.averages.delete(oldest);
    }
  }
}
