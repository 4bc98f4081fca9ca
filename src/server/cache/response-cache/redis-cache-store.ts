import type { Redis } from "ioredis";
import { metaFromStored, metaToStored } from "~/gateway/cache/cache-entry";
import type { ResponseCacheStore } from "~/gateway/cache/cache-store";

/**
 * The response cache's shared tier on Redis: one string per entry, `<meta JSON>\n<body>` (the
 * meta's JSON never contains a raw newline), under `<prefix><orgId>:<key>` with a Redis expiry,
 * so Redis removes expired entries itself. Reads still check the expiry against the cache's clock.
 */
export interface RedisCacheStoreOptions {
  /** Default `sy:rc:`. */
  keyPrefix?: string;
}

const SCAN_COUNT = 1_000;

/** Escapes Redis glob characters so an org id matches only itself in SCAN MATCH. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

export function createRedisCacheStore(
  redis: Redis,
  options: RedisCacheStoreOptions = {},
): ResponseCacheStore {
  const prefix = options.keyPrefix ?? "sy:rc:";
  const redisKey = (orgId: string, key: string) => `${prefix}${orgId}:${key}`;

  return {
    kind: "redis",

    async get(orgId, key, now) {
      const value = await redis.get(redisKey(orgId, key));
      if (value === null) return null;
      const split = value.indexOf("\n");
      if (split < 0) return null;
      let meta;
      try {
        meta = metaFromStored(JSON.parse(value.slice(0, split)));
      } catch {
        return null;
      }
      if (meta === null || meta.expiresAt <= now) return null;
      return { orgId, key, body: value.slice(split + 1), meta };
    },

    async setMany(entries) {
      if (entries.length === 0) return;
      const pipeline = redis.pipeline();
      for (const e of entries) {
        // The TTL as asked (relative, so clocks of Redis and the instances need not agree).
        const ttlMs = Math.max(1, Math.round(e.meta.expiresAt - e.meta.createdAt));
        pipeline.set(
          redisKey(e.orgId, e.key),
          `${JSON.stringify(metaToStored(e.meta))}\n${e.body}`,
          "PX",
          ttlMs,
        );
      }
      const results = await pipeline.exec();
      const failed = results?.find(([err]) => err !== null);
      if (failed) throw failed[0]!;
    },

    async deleteExpired() {
      return 0; // Redis expires entries itself.
    },

    async clearOrg(orgId) {
      let cursor = "0";
      let removed = 0;
      do {
        const [next, keys] = await redis.scan(
          cursor,
          "MATCH",
          `${globEscape(prefix)}${globEscape(orgId)}:*`,
          "COUNT",
          SCAN_COUNT,
        );
        cursor = next;
        if (keys.length > 0) removed += await redis.unlink(...keys);
      } while (cursor !== "0");
      return removed;
    },
  };
}
