import type { CacheDefault } from "~/server/db/schema";

/** Org switches of limits, budgets and the response cache, as the gateway and console read them. */
export interface OrgLimitSettingsValue {
  /** Whether a model without a price may be called while a hard budget applies. */
  allowUnpricedUnderHardBudget: boolean;
  budgetAlertWebhookUrl: string | null;
  /** Which derived signing secret the webhook uses (bumped to rotate it). */
  webhookSecretVersion: number;
  /** `off`: cache only requests with temperature 0; `on`: cache every cacheable request. */
  cacheDefault: CacheDefault;
  cacheTtlSeconds: number;
  semanticCache: boolean;
  /** Cosine similarity at or above which a semantic neighbour counts as a hit (0.5..1). */
  semanticThreshold: number;
}

export const CACHE_TTL_MIN_SECONDS = 1;
export const CACHE_TTL_MAX_SECONDS = 30 * 86_400;
export const SEMANTIC_THRESHOLD_MIN = 0.5;
export const SEMANTIC_THRESHOLD_MAX = 1;

/** What an org without a settings row gets. */
export const DEFAULT_LIMIT_SETTINGS: Readonly<OrgLimitSettingsValue> = Object.freeze({
  allowUnpricedUnderHardBudget: false,
  budgetAlertWebhookUrl: null,
  webhookSecretVersion: 1,
  cacheDefault: "off",
  cacheTtlSeconds: 3600,
  semanticCache: false,
  semanticThreshold: 0.95,
});

/** The response-cache settings of one request's key: the key's TTL override, else the org's. */
export interface CacheSettings {
  cacheDefault: CacheDefault;
  ttlSeconds: number;
  /** null when the org did not turn the semantic cache on. */
  semantic: { threshold: number } | null;
}
