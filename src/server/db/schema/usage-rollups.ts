import { bigint, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

/**
 * Daily roll-up of `request_logs`: one row per org, UTC day and (key, model, provider, end user),
 * holding exactly the sums the Usage page shows. Filled by the usage roll-up job for complete days;
 * the Usage page reads it for those days and the raw log for the rest, with identical results.
 * Money is integer micro-dollars; spend covers priced requests only.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Midnight UTC of the day. */
    day: timestamp("day", { withTimezone: true }).notNull(),
    apiKeyId: text("api_key_id"),
    /** The model that answered, else the one asked for (as the Usage page groups). */
    model: text("model"),
    providerId: text("provider_id"),
    endUser: text("end_user"),
    requests: bigint("requests", { mode: "number" }).notNull(),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
    cachedTokens: bigint("cached_tokens", { mode: "number" }).notNull(),
    spendMicros: bigint("spend_micros", { mode: "bigint" }).notNull(),
    pricedRequests: bigint("priced_requests", { mode: "number" }).notNull(),
    unpricedRequests: bigint("unpriced_requests", { mode: "number" }).notNull(),
    /** Tokens of the unpriced requests (the "models without a price" card). */
    unpricedPromptTokens: bigint("unpriced_prompt_tokens", { mode: "number" }).notNull(),
    unpricedCompletionTokens: bigint("unpriced_completion_tokens", { mode: "number" }).notNull(),
    /** The latest unpriced request of the group; null when it had none. */
    lastUnpricedAt: timestamp("last_unpriced_at", { withTimezone: true, precision: 6 }),
    cacheHits: bigint("cache_hits", { mode: "number" }).notNull(),
    semanticHits: bigint("semantic_hits", { mode: "number" }).notNull(),
    cacheLookups: bigint("cache_lookups", { mode: "number" }).notNull(),
    errors: bigint("errors", { mode: "number" }).notNull(),
    savedMicros: bigint("saved_micros", { mode: "bigint" }).notNull(),
  },
  (t) => [index("usage_daily_org_day_idx").on(t.orgId, t.day)],
);

/**
 * The UTC days the roll-up covers (for every org at once): the Usage page reads `usage_daily`
 * only for these, and retention deletes raw rows only of days rolled up.
 */
export const usageRollupDays = pgTable("usage_rollup_days", {
  day: timestamp("day", { withTimezone: true }).primaryKey(),
  /** Roll-up rows written for the day (all orgs). */
  rows: integer("rows").notNull(),
  rolledAt: timestamp("rolled_at", { withTimezone: true }).notNull().defaultNow(),
});
