import type { UsageDimension } from "./schemas";
import type { UsageBucket } from "./usage-range";

/**
 * What the usage views return. Money is integer micro-dollars (bigint); spend covers priced
 * requests only, and unpriced requests are counted on their own (never summed as $0).
 */
export interface UsageMeasures {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  spendMicros: bigint;
  /** Requests with a recorded cost (priced). */
  pricedRequests: number;
  /** Requests whose model has no known price: no cost, not in `spendMicros`. */
  unpricedRequests: number;
  /** Exact and semantic cache hits. */
  cacheHits: number;
  /** What cache hits saved: the cost of the answers they replayed. */
  savedMicros: bigint;
}

export interface UsageTotals extends UsageMeasures {
  since: Date;
  until: Date;
  bucket: UsageBucket;
  /** Answers with an HTTP status of 400 or more. */
  errors: number;
  semanticHits: number;
  /** Requests that looked in the cache (hits and misses; bypassed requests do not count). */
  cacheLookups: number;
  /** cacheHits / cacheLookups; null when nothing looked in the cache. */
  hitRate: number | null;
  /** Whether the org has ever sent a request (any time), to tell "no traffic yet" from "none in range". */
  hasTraffic: boolean;
}

export type UsageSeriesKind = "value" | "none" | "other";

export interface UsageSeries {
  /** Stable id of the series: the value, `__none__` (requests without one) or `__other__`. */
  id: string;
  /** What people read: the model, the key's name, the provider, the end user, "Other". */
  label: string;
  kind: UsageSeriesKind;
  total: UsageMeasures;
  /** One entry per bucket of `UsageSeriesResult.buckets` (empty buckets are zero). */
  points: UsageMeasures[];
}

export interface UsageSeriesResult {
  since: Date;
  until: Date;
  bucket: UsageBucket;
  by: UsageDimension;
  /** Bucket starts (UTC), oldest first, every bucket of the range. */
  buckets: Date[];
  /** Biggest spenders first (then most tokens); "other" last. */
  series: UsageSeries[];
}

export interface TopKeyRow extends UsageMeasures {
  /** null: requests that carried no key. */
  keyId: string | null;
  name: string | null;
  prefix: string | null;
  last4: string | null;
  revoked: boolean;
  /** Share of the range's spend (0..1); null when the range spent nothing. */
  spendShare: number | null;
  /** Share of the range's requests (0..1). */
  requestShare: number;
}

export interface UnpricedModelRow {
  model: string | null;
  providerId: string | null;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  lastSeen: Date;
}
