import { index, pgTable, primaryKey, text, timestamp, vector } from "drizzle-orm/pg-core";

/**
 * The semantic tier of the response cache: per cached answer, the embedding of its prompt's last
 * user turn and the fingerprint of everything else in the request. A lookup searches the rows of
 * one org and fingerprint for the nearest embedding (cosine); the row points at the exact cache
 * entry (`cache_key`) that holds the answer, so an answer is stored once.
 */
export const semanticCacheEntries = pgTable(
  "semantic_cache_entries",
  {
    orgId: text("org_id").notNull(),
    /** The exact cache key of the answer (see `response_cache.key`). */
    cacheKey: text("cache_key").notNull(),
    /** Hash of the model, system prompt, other turns, tools and parameters (see `semanticPrompt`). */
    fingerprint: text("fingerprint").notNull(),
    embedding: vector("embedding", { dimensions: 384 }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.cacheKey] }),
    index("semantic_cache_entries_lookup_idx").on(t.orgId, t.fingerprint),
    index("semantic_cache_entries_expires_idx").on(t.expiresAt),
    index("semantic_cache_entries_hnsw_idx").using("hnsw", t.embedding.op("vector_cosine_ops")),
  ],
);
