import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { GuardHit } from "~/gateway/guardrails/policy";
import type { AttemptRecord } from "~/gateway/routing/attempt-record";
import { organizations } from "./organizations";

/**
 * One row per gateway request, written in batches off the hot path. Money is integer
 * micro-dollars; `costMicros` null means the model is unpriced (never recorded as $0).
 */
export const requestLogs = pgTable(
  "request_logs",
  {
    /** Switchyard's id for the request (the `x-request-id` response header unless the client sent one). */
    id: text("id").primaryKey(),
    /** The client's own `x-request-id`, when it sent one (clients may reuse ids: not unique). */
    clientRequestId: text("client_request_id"),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    apiKeyId: text("api_key_id"),
    /** `chat.completions`, `embeddings`, `completions`. */
    endpoint: text("endpoint").notNull(),
    /** The `user` field of the request. */
    endUser: text("end_user"),
    /** The `x-switchyard-metadata` header (JSON object of strings). */
    metadata: jsonb("metadata").$type<Record<string, string>>(),
    requestedModel: text("requested_model"),
    servedModel: text("served_model"),
    providerId: text("provider_id"),
    providerType: text("provider_type"),
    stream: boolean("stream").notNull().default(false),
    status: integer("status").notNull(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    finishReason: text("finish_reason"),
    latencyMs: integer("latency_ms").notNull(),
    /** Time to first token (streams) or to the upstream's response (non-streams). */
    ttftMs: integer("ttft_ms"),
    /** Time spent upstream, to separate gateway overhead from provider latency. */
    upstreamMs: integer("upstream_ms"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    cachedTokens: integer("cached_tokens"),
    reasoningTokens: integer("reasoning_tokens"),
    costMicros: bigint("cost_micros", { mode: "bigint" }),
    /** True when the model had no known price (cost is null, shown as unpriced). */
    unpriced: boolean("unpriced").notNull().default(false),
    requestBody: text("request_body"),
    responseBody: text("response_body"),
    bodiesTruncated: boolean("bodies_truncated").notNull().default(false),
    /** The route (virtual model) the request named; null for a direct model. */
    routeName: text("route_name"),
    /** Every attempt of a routed request (calls, retries, skipped targets), in order; null for a direct model. */
    attempts: jsonb("attempts").$type<AttemptRecord[]>(),
    /**
     * Response cache outcome: `hit`, `semantic_hit`, `miss` (looked up, then stored), `bypass`
     * (caching off for the request); null when the cache was not consulted (e.g. refused earlier).
     */
    cacheStatus: text("cache_status"),
    /** What a cache hit saved: the cost of the answer it replayed (micro-dollars); null otherwise. */
    savedMicros: bigint("saved_micros", { mode: "bigint" }),
    /** What guardrail policies found (policy, rule, detector, label, action, stage, offsets; never the text). */
    guardrailHits: jsonb("guardrail_hits").$type<GuardHit[]>(),
    /** The strongest guardrail action taken (`block`, `reroute`, `mask`, `redact`, `flag`); null: no hit. */
    guardrailAction: text("guardrail_action"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("request_logs_org_time_idx").on(t.orgId, t.createdAt),
    // Partial: most requests carry no client id, and those rows then cost no entry here.
    index("request_logs_org_client_request_idx")
      .on(t.orgId, t.clientRequestId)
      .where(sql`${t.clientRequestId} is not null`),
    index("request_logs_org_key_idx").on(t.orgId, t.apiKeyId, t.createdAt),
    index("request_logs_org_model_idx").on(t.orgId, t.servedModel, t.createdAt),
  ],
);

/** Per-org price overrides for custom or self-hosted models (micro-dollars per million tokens). */
export const modelPrices = pgTable(
  "model_prices",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Exact model id as served, optionally `provider/model`. */
    model: text("model").notNull(),
    inputMicrosPerMTok: bigint("input_micros_per_mtok", { mode: "bigint" }).notNull(),
    outputMicrosPerMTok: bigint("output_micros_per_mtok", { mode: "bigint" }).notNull(),
    cachedInputMicrosPerMTok: bigint("cached_input_micros_per_mtok", { mode: "bigint" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("model_prices_org_model_idx").on(t.orgId, t.model)],
);

/** Org-level switches that the gateway reads (cached). */
export const orgSettings = pgTable("org_settings", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  /** Store request/response bodies in request logs (truncated beyond the limit). */
  storeBodies: boolean("store_bodies").notNull().default(true),
  /** Request-log rows older than this many days are deleted by the retention job; 0 keeps them forever. */
  requestLogRetentionDays: integer("request_log_retention_days").notNull().default(30),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
