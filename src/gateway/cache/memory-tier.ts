import { LRUCache } from "lru-cache";
import type { CacheEntry } from "./cache-entry";

/** Default bound of the in-process tier. */
export const DEFAULT_L1_BYTES = 64 * 1024 * 1024;
/** What an entry costs besides its body (meta, key, map slot), counted so tiny entries still count. */
const ENTRY_OVERHEAD = 256;

/**
 * The in-process (L1) tier: an LRU bounded by the characters it holds, with each entry's own
 * expiry. Expiry is checked against the cache's clock on every read (the LRU's own TTL runs on
 * the same clock, so it also drops stale entries it meets while evicting).
 */
export class MemoryTier {
  private readonly lru: LRUCache<string, CacheEntry>;

  constructor(maxBytes: number, now: () => number) {
    this.lru = new LRUCache<string, CacheEntry>({
      maxSize: Math.max(1, Math.floor(maxBytes)),
      sizeCalculation: (entry) => entry.body.length + entry.key.length + ENTRY_OVERHEAD,
      // Clock-driven TTL: `perf` is the cache's clock, so a fake clock in tests expires entries too.
      perf: { now },
      ttlResolution: 0,
      ttlAutopurge: false,
      allowStale: false,
      updateAgeOnGet: false,
    });
  }

  get(key: string, now: number): CacheEntry | null {
    const entry = this.lru.get(key);
    if (entry === undefined) return null;
    if (entry.meta.expiresAt <= now) {
      this.lru.delete(key);
      return null;
    }
    return entry;
  }

  /** Keeps `entry` under `key` (usually its own key) until it expires. False: too big to keep. */
  set(key: string, entry: CacheEntry, now: number): boolean {
    const ttl = entry.meta.expiresAt - now;
    if (ttl <= 0) return false;
    const size = entry.body.length + entry.key.length + ENTRY_OVERHEAD;
    if (size > this.lru.maxSize) return false;
    this.lru.set(key, entry, { ttl, start: now });
    return true;
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  purgeStale(): number {
    const before = this.lru.size;
    this.lru.purgeStale();
    return before - this.lru.size;
  }

  clearOrg(orgId: string): number {
    const keys: string[] = [];
    for (const [key, entry] of this.lru.entries()) if (entry.orgId === orgId) keys.push(key);
    for (const key of keys) this.lru.delete(key);
    return keys.length;
  }

  get entries(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
