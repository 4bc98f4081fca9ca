import { eq, sql } from "drizzle-orm";
import { isKeyEndpoint } from "~/gateway/key-endpoints";
import type { ApiKeyRecord, ApiKeyStore } from "~/gateway/ports";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import { sharedApiKeyCache, type ApiKeyCache } from "./api-key-cache";

/**
 * API-key lookups for the gateway: a cache hit answers synchronously with no database work; a miss
 * runs one indexed query (shared by concurrent misses of the same hash) and caches the answer,
 * misses included, for the cache TTL.
 */
export function createApiKeyStore(db: Db, options: { cache?: ApiKeyCache } = {}): ApiKeyStore {
  const cache = options.cache ?? sharedApiKeyCache();
  const byHash = db
    .select({
      id: apiKeys.id,
      orgId: apiKeys.orgId,
      name: apiKeys.name,
      allowedModels: apiKeys.allowedModels,
      allowedEndpoints: apiKeys.allowedEndpoints,
      metadata: apiKeys.metadata,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.hash, sql.placeholder("hash")))
    .limit(1)
    .prepare("switchyard_api_key_by_hash");

  const load = async (hash: string): Promise<ApiKeyRecord | null> => {
    const [found] = await byHash.execute({ hash });
    if (!found) return null;
    const { allowedEndpoints, ...row } = found;
    // Shared by every request that uses this key until the entry expires: make it read-only.
    return Object.freeze({
      ...row,
      allowedModels: row.allowedModels ? Object.freeze([...row.allowedModels]) : null,
      // Built once per cache entry, so the per-request check is a set lookup (absent = all).
      ...(allowedEndpoints ? { allowedEndpoints: new Set(allowedEndpoints.filter(isKeyEndpoint)) } : {}),
      metadata: Object.freeze({ ...row.metadata }),
    });
  };

  return {
    findByHash(hash) {
      const cached = cache.get(hash);
      if (cached !== undefined) return cached;
      return cache.load(hash, load);
    },
  };
}
