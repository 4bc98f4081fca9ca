import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import { logger } from "~/lib/logger";

export interface KeyUsageBatcherOptions {
  /** How often pending last-used times are written. */
  flushIntervalMs?: number;
  now?: () => number;
}

/**
 * Keeps `api_keys.last_used_at` roughly current without touching the database on the request
 * path: `touch` only records the time in memory; `flush` (every ~30 s and at shutdown) writes
 * one UPDATE per key used since the last flush.
 */
export class KeyUsageBatcher {
  private pending = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: KeyUsageBatcherOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Hot path: one Map write. */
  readonly touch = (keyId: string): void => {
    this.pending.set(keyId, this.now());
  };

  /** Number of keys waiting to be written (for tests and diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 30_000);
    this.timer.unref();
  }

  /** Writes everything pending. Concurrent calls share the write in progress, then write what arrived since. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async write(batch: Map<string, number>): Promise<void> {
    for (const [keyId, usedAtMs] of batch) {
      const usedAt = new Date(usedAtMs);
      try {
        await this.db
          .update(apiKeys)
          .set({ lastUsedAt: usedAt })
          // Never move the timestamp backwards (another instance may have written a later one).
          .where(
            and(
              eq(apiKeys.id, keyId),
              or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, usedAt)),
            ),
          );
      } catch (err) {
        // Keep it for the next flush unless the key was used again meanwhile.
        if (!this.pending.has(keyId)) this.pending.set(keyId, usedAtMs);
        logger.warn("could not record API key last-used time", {
          keyId,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }

  /** Stops the timer and writes what is pending. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
