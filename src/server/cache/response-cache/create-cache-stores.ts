import type { ResponseCacheStore, SemanticCacheStore } from "~/gateway/cache/cache-store";
import type { DatabaseHandle } from "~/server/db/client";
import { getRedisClient } from "~/server/redis/redis-client";
import { createPgvectorSemanticStore } from "./pgvector-semantic-store";
import { createPostgresCacheStore } from "./postgres-cache-store";
import { createRedisCacheStore } from "./redis-cache-store";

/** The shared tier: Redis when a URL is configured, else the database's `response_cache` table. */
export function createSharedCacheStore(options: {
  database: Pick<DatabaseHandle, "db">;
  redisUrl?: string | null;
}): ResponseCacheStore {
  if (options.redisUrl) return createRedisCacheStore(getRedisClient(options.redisUrl));
  return createPostgresCacheStore(options.database.db);
}

/** The semantic tier on the database (unavailable without pgvector). */
export function createSemanticCacheStore(
  database: Pick<DatabaseHandle, "db" | "vectorAvailable" | "vectorUnavailableReason">,
): SemanticCacheStore {
  return createPgvectorSemanticStore({
    db: database.db,
    vectorAvailable: database.vectorAvailable,
    vectorUnavailableReason: database.vectorUnavailableReason,
  });
}
