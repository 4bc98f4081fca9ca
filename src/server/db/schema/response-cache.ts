import { index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import type { StoredCacheMeta } from "~/gateway/cache/cache-entry";
import { organizations } from "./organizations";

/**
 * The shared tier of the response cache (when no Redis is configured): one row per org and exact
 * cache key, holding the answer's JSON text. Rows past `expires_at` are never served and are
 * removed by the cleanup job; an org's rows go with the org.
 */
export const responseCache = pgTable(
  "response_cache",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** SHA-256 (base64url) of the org, endpoint and canonical request (see `cacheKey`). */
    key: text("key").notNull(),
    /** The answer as a buffered client receives it (chat.completion, embeddings list, …). */
    body: text("body").notNull(),
    /** Usage, served provider and model, original cost, created/expiry times. */
    meta: jsonb("meta").$type<StoredCacheMeta>().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.key] }),
    index("response_cache_expires_idx").on(t.expiresAt),
  ],
);
