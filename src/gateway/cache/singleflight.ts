/**
 * One upstream call for concurrent identical requests in this process. The first request of a
 * key becomes the leader; requests of the same key that arrive while it runs are followers and
 * wait for what the leader settles:
 *
 *  - a value: every follower receives it (a cache hit for them);
 *  - null (the leader failed, or its answer may not be cached): each follower goes on to make its
 *    own call. They do not inherit the leader's error: it may be the leader's own (its client
 *    went away, its key's limits), and a retry by each follower is what they would have done
 *    without the cache.
 *
 * Waiting is bounded: after `maxWaitMs` from the leader's start, its followers get null and the
 * key is free again (a leader that never settles cannot hold its key forever).
 */

export type Flight<T> =
  { role: "leader"; settle(value: T | null): void } | { role: "follower"; wait: Promise<T | null> };

interface Pending<T> {
  key: string;
  startedAt: number;
  settled: boolean;
  promise: Promise<T | null> | null;
  resolve: ((value: T | null) => void) | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface SingleflightOptions {
  maxWaitMs: number;
  /** Milliseconds since the epoch (a fake in tests). */
  now(): number;
  /** Stale flights are swept when more than this many are pending (default 1024). */
  sweepAbove?: number;
}

export class Singleflight<T> {
  private readonly pending = new Map<string, Pending<T>>();
  private sweepAt: number;

  constructor(private readonly options: SingleflightOptions) {
    this.sweepAt = options.sweepAbove ?? 1024;
  }

  /** Leaders currently running. */
  get size(): number {
    return this.pending.size;
  }

  /** Whether a leader for `key` is running (and may still be waited for). */
  has(key: string): boolean {
    const flight = this.pending.get(key);
    return flight !== undefined && !this.stale(flight);
  }

  join(key: string): Flight<T> {
    const current = this.pending.get(key);
    if (current !== undefined && !this.stale(current))
      return { role: "follower", wait: this.waitFor(current) };
    if (current !== undefined) this.finish(current, null);

    // The leader pays for no promise or timer unless a follower shows up.
    const flight: Pending<T> = {
      key,
      startedAt: this.options.now(),
      settled: false,
      promise: null,
      resolve: null,
      timer: null,
    };
    this.pending.set(key, flight);
    if (this.pending.size > this.sweepAt) this.sweep();
    return { role: "leader", settle: (value) => this.finish(flight, value) };
  }

  /**
   * Drops flights past their wait whose leader never settled (a caller that forgot `release`),
   * so such leaks stay bounded; amortized by doubling the threshold with what is still live.
   */
  private sweep(): void {
    for (const flight of [...this.pending.values()])
      if (this.stale(flight)) this.finish(flight, null);
    this.sweepAt = Math.max(this.options.sweepAbove ?? 1024, this.pending.size * 2);
  }

  private stale(flight: Pending<T>): boolean {
    return this.options.now() - flight.startedAt >= this.options.maxWaitMs;
  }

  private waitFor(flight: Pending<T>): Promise<T | null> {
    if (flight.promise === null) {
      flight.promise = new Promise<T | null>((resolve) => (flight.resolve = resolve));
      const left = Math.max(0, flight.startedAt + this.options.maxWaitMs - this.options.now());
      flight.timer = setTimeout(() => this.finish(flight, null), left);
      flight.timer.unref?.();
    }
    return flight.promise;
  }

  private finish(flight: Pending<T>, value: T | null): void {
    if (flight.settled) return;
    flight.settled = true;
    if (this.pending.get(flight.key) === flight) this.pending.delete(flight.key);
    if (flight.timer !== null) clearTimeout(flight.timer);
    flight.resolve?.(value);
  }
}
