/**
 * Writes to a shared tier off the hot path: `push` never waits and never throws. Items are
 * written in batches, one batch at a time, starting on the next turn of the event loop (so the
 * writes of one burst share a batch). The queue is bounded: when it is full, new items are
 * dropped and counted (a cache write is worth less than the memory or the latency it would
 * cost to keep it). A failed batch is counted and dropped too.
 */

export interface WriteBehindStats {
  queued: number;
  written: number;
  dropped: number;
  failedBatches: number;
}

export interface WriteBehindOptions<T> {
  write(batch: T[]): Promise<void>;
  onError(err: unknown, batchSize: number): void;
  /** Most items waiting at once (default 10 000). */
  maxPending?: number;
  /** Most items per write (default 100). */
  batchSize?: number;
}

export class WriteBehindQueue<T> {
  private items: T[] = [];
  private running: Promise<void> | null = null;
  private scheduled = false;
  private readonly maxPending: number;
  private readonly batchSize: number;
  private readonly counts = { written: 0, dropped: 0, failedBatches: 0 };

  constructor(private readonly options: WriteBehindOptions<T>) {
    this.maxPending = options.maxPending ?? 10_000;
    this.batchSize = options.batchSize ?? 100;
  }

  /** Queues one item; false when the queue is full (the item is dropped). */
  push(item: T): boolean {
    if (this.items.length >= this.maxPending) {
      this.counts.dropped++;
      return false;
    }
    this.items.push(item);
    if (this.running === null && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.start();
      });
    }
    return true;
  }

  /** Resolves once everything queued so far is written (or failed). */
  async flush(): Promise<void> {
    while (this.items.length > 0 || this.running !== null) {
      this.start();
      await this.running;
    }
  }

  stats(): WriteBehindStats {
    return { queued: this.items.length, ...this.counts };
  }

  private start(): void {
    if (this.running !== null || this.items.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.items.length > 0) {
      const batch =
        this.items.length <= this.batchSize ? this.items : this.items.slice(0, this.batchSize);
      this.items = batch === this.items ? [] : this.items.slice(this.batchSize);
      try {
        await this.options.write(batch);
        this.counts.written += batch.length;
      } catch (err) {
        this.counts.failedBatches++;
        this.counts.dropped += batch.length;
        this.options.onError(err, batch.length);
      }
    }
  }
}
