import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
// Relative: drizzle-kit loads schema files without the `~` alias.
import { BUDGET_PERIODS, BUDGET_SCOPES } from "../../../gateway/limits/types";
import { apiKeys } from "./api-keys";
import { organizations } from "./organizations";
import { users } from "./users";

/**
 * Limits and budgets as data: what the console and CLI configure and the gateway reads (through a
 * cached directory) to build each request's `RequestLimits`. Every rate-limit measure is a nullable
 * integer: null means "no limit on that measure". Money is integer micro-dollars.
 */

const rateLimitColumns = () => ({
  rpm: integer("rpm"),
  tpm: integer("tpm"),
  rpd: integer("rpd"),
  concurrent: integer("concurrent"),
});

/** Named rate-limit presets of an org (free / pro / enterprise…) that keys are assigned to. */
export const rateLimitTiers = pgTable(
  "rate_limit_tiers",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    ...rateLimitColumns(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("rate_limit_tiers_org_name_idx").on(t.orgId, t.name)],
);

/**
 * One API key's limits: its tier and its own per-measure overrides (a key's own value wins over its
 * tier's, measure by measure), plus a response-cache TTL override. A key without a row has none.
 * Kept apart from `api_keys` so the key table stays what authentication reads.
 */
export const keyLimits = pgTable(
  "key_limits",
  {
    keyId: text("key_id")
      .primaryKey()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Same org as the key (checked by every write). Deleting the tier unassigns it. */
    tierId: text("tier_id").references(() => rateLimitTiers.id, { onDelete: "set null" }),
    ...rateLimitColumns(),
    /** Response-cache TTL for this key's requests; null = the org's default. */
    cacheTtlSeconds: integer("cache_ttl_seconds"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("key_limits_org_idx").on(t.orgId), index("key_limits_tier_idx").on(t.tierId)],
);

/** Org-wide limits (model null) and per-model limits (model = a model or route name). */
export const orgLimits = pgTable(
  "org_limits",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    model: text("model"),
    ...rateLimitColumns(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One org-wide row and one row per model: two partial indexes, since NULLs never collide.
    uniqueIndex("org_limits_org_wide_idx")
      .on(t.orgId)
      .where(sql`${t.model} is null`),
    uniqueIndex("org_limits_org_model_idx")
      .on(t.orgId, t.model)
      .where(sql`${t.model} is not null`),
  ],
);

export const budgets = pgTable(
  "budgets",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    scope: text("scope", { enum: BUDGET_SCOPES }).notNull(),
    /** The key of a `key` budget; null for the other scopes. */
    keyId: text("key_id").references(() => apiKeys.id, { onDelete: "cascade" }),
    amountMicros: bigint("amount_micros", { mode: "number" }).notNull(),
    period: text("period", { enum: BUDGET_PERIODS }).notNull(),
    /** Hard: requests that could exceed it are refused. Soft: alerts only. */
    hard: boolean("hard").notNull(),
    alertThresholds: integer("alert_thresholds")
      .array()
      .notNull()
      .default(sql`'{50,80,100}'::integer[]`),
    createdByUserId: text("created_by_user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    createdByLabel: text("created_by_label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("budgets_org_idx").on(t.orgId, t.createdAt),
    index("budgets_key_idx").on(t.keyId),
    // One budget per scope (and key) and period: a second one would only shadow the first.
    uniqueIndex("budgets_scope_period_idx").on(
      t.orgId,
      t.scope,
      sql`coalesce(${t.keyId}, '')`,
      t.period,
    ),
    check("budgets_key_scope_check", sql`(${t.scope} = 'key') = (${t.keyId} is not null)`),
    check("budgets_amount_check", sql`${t.amountMicros} > 0`),
  ],
);

export const WEBHOOK_STATUSES = ["none", "sent", "failed"] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/** A budget crossing one of its alert thresholds in one period (once per end user for user budgets). */
export const budgetAlerts = pgTable(
  "budget_alerts",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    budgetId: text("budget_id")
      .notNull()
      .references(() => budgets.id, { onDelete: "cascade" }),
    thresholdPct: integer("threshold_pct").notNull(),
    spentMicros: bigint("spent_micros", { mode: "number" }).notNull(),
    amountMicros: bigint("amount_micros", { mode: "number" }).notNull(),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    endUser: text("end_user"),
    webhookStatus: text("webhook_status", { enum: WEBHOOK_STATUSES }).notNull().default("none"),
    /** Why the webhook was not delivered (HTTP status, timeout, refused address). */
    webhookError: text("webhook_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("budget_alerts_org_time_idx").on(t.orgId, t.createdAt),
    // Once per budget, period, threshold and end user, whichever instance reports it.
    uniqueIndex("budget_alerts_once_idx").on(
      t.budgetId,
      t.periodStart,
      t.thresholdPct,
      sql`coalesce(${t.endUser}, '')`,
    ),
  ],
);

export const CACHE_DEFAULTS = ["off", "on"] as const;
export type CacheDefault = (typeof CACHE_DEFAULTS)[number];

/** Org switches of limits, budgets and the response cache (defaults when the org has no row). */
export const orgLimitSettings = pgTable("org_limit_settings", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  /** Whether a model without a price may be called while a hard budget applies. */
  allowUnpricedUnderHardBudget: boolean("allow_unpriced_under_hard_budget")
    .notNull()
    .default(false),
  /** Where budget alerts are POSTed (checked against private addresses on save and on send). */
  budgetAlertWebhookUrl: text("budget_alert_webhook_url"),
  /** Bumped to rotate the webhook signing secret (derived from the instance secret and this). */
  webhookSecretVersion: integer("webhook_secret_version").notNull().default(1),
  /** `off`: cache only temperature-0 requests; `on`: cache every cacheable request. */
  cacheDefault: text("cache_default", { enum: CACHE_DEFAULTS }).notNull().default("off"),
  cacheTtlSeconds: integer("cache_ttl_seconds").notNull().default(3600),
  semanticCache: boolean("semantic_cache").notNull().default(false),
  semanticThreshold: doublePrecision("semantic_threshold").notNull().default(0.95),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
