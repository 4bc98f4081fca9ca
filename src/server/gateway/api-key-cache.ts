import { LRUCache } from "lru-cache";
import type { ApiKeyRecord } from "~/gateway/ports";
import { env } from "~/env";

/**
 * Per-instance cache of API-key lookups by hash, misses included. Its TTL
 * (SWITCHYARD_KEY_CACHE_TTL_MS, ≤ 5 s) bounds how long another instance may keep accepting a
 * revoked key; on this instance `invalidateApiKey` drops the entry at once.
 */

/** Stands for "no key has this hash" (the LRU cannot hold null). */
const MISSING = Object.freeze({ missing: true as const });
type Entry = ApiKeyRecord | typeof MISSING;

export interface ApiKeyCacheOptions {
  ttlMs: number;
  /** Bound on each of the hit and miss caches. */
  maxEntries?: number;
}

export class ApiKeyCache {
  /** Found keys and misses live apart so a flood of made-up keys cannot evict real ones. */
  private readonly found: LRUCache<string, Entry> | null;
  private readonly missing: LRUCache<string, Entry> | null;
  private readonly inflight = new Map<string, Promise<ApiKeyRecord | null>>();

  constructor(options: ApiKeyCacheOptions) {
    const max = options.maxEntries ?? 10_000;
    // lru-cache reads ttl 0 as "never expires"; here 0 means "do not cache".
    const enabled = options.ttlMs > 0;
    this.found = enabled ? new LRUCache({ max, ttl: options.ttlMs, ttlAutopurge: false }) : null;
    this.missing = enabled ? new LRUCache({ max, ttl: options.ttlMs, ttlAutopurge: false }) : null;
  }

  /** The cached answer: a record, null for a cached miss, undefined when not cached. */
  get(hash: string): ApiKeyRecord | null | undefined {
    if (this.found === null) return undefined;
    const hit = this.found.get(hash);
    if (hit !== undefined) return hit as ApiKeyRecord;
    return this.missing!.get(hash) === undefined ? undefined : null;
  }

  /**
   * Runs `loader` once per hash however many requests miss at the same time, and caches its
   * answer unless the hash was invalidated while the lookup was in flight.
   */
  load(
    hash: string,
    loader: (hash: string) => Promise<ApiKeyRecord | null>,
  ): Promise<ApiKeyRecord | null> {
    const pending = this.inflight.get(hash);
    if (pending) return pending;
    const lookup: Promise<ApiKeyRecord | null> = loader(hash).then(
      (record) => {
        if (this.inflight.get(hash) === lookup) {
          this.inflight.delete(hash);
          if (record) this.found?.set(hash, record);
          else this.missing?.set(hash, MISSING);
        }
        return record;
      },
      (err: unknown) => {
        if (this.inflight.get(hash) === lookup) this.inflight.delete(hash);
        throw err;
      },
    );
    this.inflight.set(hash, lookup);
    return lookup;
  }

  invalidate(hash: string): void {
    this.found?.delete(hash);
    this.missing?.delete(hash);
    this.inflight.delete(hash);
  }

  clear(): void {
    this.found?.clear();
    this.missing?.clear();
    this.inflight.clear();
  }
}

// On globalThis so the custom server and Next's bundled copy of this module share one cache.
const state = globalThis as unknown as { __switchyardApiKeyCache?: ApiKeyCache };

/** The process-wide key cache (created on first use with the configured TTL). */
export function sharedApiKeyCache(): ApiKeyCache {
  state.__switchyardApiKeyCache ??= new ApiKeyCache({ ttlMs: env().SWITCHYARD_KEY_CACHE_TTL_MS });
  return state.__switchyardApiKeyCache;
}

/** Drops a key from this process's cache at once (call after revoking, deleting or changing a key). */
export function invalidateApiKey(hash: string): void {
  state.__switchyardApiKeyCache?.invalidate(hash);
}
