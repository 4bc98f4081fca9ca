import type { DatabaseHandle } from "~/server/db/client";
import { createPgvectorSemanticStore } from "./pgvector-semantic-store";
import { createPostgresCacheStore } from "./postgres-cache-store";

export type CacheTier = "exact" | "semantic";

/**
 * Removes expired rows of one response-cache table, in batches (see the stores' `deleteExpired`):
 * `exact` = `response_cache`, `semantic` = `semantic_cache_entries`. Expired rows are never
 * served, so this only reclaims space. The exact tier lives in its table when no Redis is
 * configured; Redis expires its keys by itself, and the table is cleaned either way (it may hold
 * rows from before Redis was configured). Returns the rows removed, or null for the semantic
 * tier where the database has no vector tables.
 */
export async function deleteExpiredCacheEntries(
  database: Pick<DatabaseHandle, "db" | "vectorAvailable">,
  args: { tier: CacheTier; now: Date },
): Promise<number | null> {
  const now = args.now.getTime();
  if (args.tier === "exact") return createPostgresCacheStore(database.db).deleteExpired(now);
  if (!database.vectorAvailable) return null;
  return createPgvectorSemanticStore({ db: database.db, vectorAvailable: true }).deleteExpired(now);
}
