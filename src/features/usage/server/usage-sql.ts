import { sql, type SQL } from "drizzle-orm";
import { apiKeys, requestLogs } from "~/server/db/schema";
import type { UsageDimension } from "../schemas";
import type { UsageMeasures } from "../usage-types";
import type { UsageBucket } from "../usage-range";
import { toBigInt, toCount } from "./execute-rows";

/**
 * SQL fragments shared by the usage queries. Every query over request_logs starts from `scope`:
 * one org, a half-open time range, so the (org_id, created_at) index bounds the scan.
 */
export function usageScope(orgId: string, range: { since: Date; until: Date }): SQL {
  return sql`${requestLogs.orgId} = ${orgId}
    and ${requestLogs.createdAt} >= ${range.since.toISOString()}::timestamptz
    and ${requestLogs.createdAt} < ${range.until.toISOString()}::timestamptz`;
}

/** The grouping value of each dimension (null when the request had none). */
export function dimensionValue(by: UsageDimension): SQL {
  switch (by) {
    case "model":
      // The model that answered; a request that never reached one counts under what was asked for.
      return sql`coalesce(${requestLogs.servedModel}, ${requestLogs.requestedModel})`;
    case "key":
      return sql`${requestLogs.apiKeyId}`;
    case "provider":
      return sql`${requestLogs.providerId}`;
    case "user":
      return sql`${requestLogs.endUser}`;
  }
}

/** How a series of requests without a value is named. */
export const NONE_LABELS: Record<UsageDimension, string> = {
  model: "(no model)",
  key: "(no key)",
  provider: "(no provider)",
  user: "(no user)",
};

/**
 * What people read for a value: the key's name for keys (only a key of the same org: a foreign id
 * in a log row never leaks a name), the value itself otherwise. `value` is a column of the
 * enclosing query.
 */
export function dimensionLabel(by: UsageDimension, orgId: string, value: SQL): SQL {
  if (by !== "key") return value;
  return sql`(select ${apiKeys.name} from ${apiKeys} where ${apiKeys.id} = ${value} and ${apiKeys.orgId} = ${orgId})`;
}

/** The UTC hour or day a request falls in (a timestamp without time zone, in UTC). */
export function bucketOf(bucket: UsageBucket): SQL {
  const unit = bucket === "hour" ? sql.raw("'hour'") : sql.raw("'day'");
  return sql`date_trunc(${unit}, ${requestLogs.createdAt} at time zone 'UTC')`;
}

/** A UTC bucket start as ISO text (text: the same on every driver, no Date parsing in between). */
export function isoText(utcTimestamp: SQL): SQL {
  return sql`to_char(${utcTimestamp}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}

export function bucketText(bucket: UsageBucket): SQL {
  return isoText(bucketOf(bucket));
}

/**
 * The measures every breakdown reports, as text columns. Spend sums priced requests only: an
 * unpriced request has no cost (null), is counted in `unpriced`, and never adds a $0.
 */
export const measures = sql`
  count(*)::text as requests,
  coalesce(sum(${requestLogs.promptTokens}), 0)::text as prompt_tokens,
  coalesce(sum(${requestLogs.completionTokens}), 0)::text as completion_tokens,
  coalesce(sum(${requestLogs.cachedTokens}), 0)::text as cached_tokens,
  coalesce(sum(${requestLogs.costMicros}) filter (where not ${requestLogs.unpriced}), 0)::text as spend_micros,
  count(${requestLogs.costMicros}) filter (where not ${requestLogs.unpriced})::text as priced_requests,
  count(*) filter (where ${requestLogs.unpriced})::text as unpriced_requests,
  count(*) filter (where ${requestLogs.cacheStatus} in ('hit', 'semantic_hit'))::text as cache_hits,
  coalesce(sum(${requestLogs.savedMicros}), 0)::text as saved_micros`;

/** `measures` as numbers, for a grouping that is summed again later (`resummedMeasures`). */
export const numericMeasures = sql`
  count(*) as requests,
  coalesce(sum(${requestLogs.promptTokens}), 0) as prompt_tokens,
  coalesce(sum(${requestLogs.completionTokens}), 0) as completion_tokens,
  coalesce(sum(${requestLogs.cachedTokens}), 0) as cached_tokens,
  coalesce(sum(${requestLogs.costMicros}) filter (where not ${requestLogs.unpriced}), 0) as spend_micros,
  count(${requestLogs.costMicros}) filter (where not ${requestLogs.unpriced}) as priced_requests,
  count(*) filter (where ${requestLogs.unpriced}) as unpriced_requests,
  count(*) filter (where ${requestLogs.cacheStatus} in ('hit', 'semantic_hit')) as cache_hits,
  coalesce(sum(${requestLogs.savedMicros}), 0) as saved_micros`;

/** The text columns of `measures`, summed over rows of `numericMeasures` named `alias`. */
export function resummedMeasures(alias: string): SQL {
  const columns = [
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "cached_tokens",
    "spend_micros",
    "priced_requests",
    "unpriced_requests",
    "cache_hits",
    "saved_micros",
  ];
  return sql.raw(columns.map((c) => `sum(${alias}.${c})::text as ${c}`).join(", "));
}

/** The text columns `measures` yields. */
export interface MeasureRow {
  requests: string;
  prompt_tokens: string;
  completion_tokens: string;
  cached_tokens: string;
  spend_micros: string;
  priced_requests: string;
  unpriced_requests: string;
  cache_hits: string;
  saved_micros: string;
}

export function toMeasures(row: MeasureRow): UsageMeasures {
  return {
    requests: toCount(row.requests),
    promptTokens: toCount(row.prompt_tokens),
    completionTokens: toCount(row.completion_tokens),
    cachedTokens: toCount(row.cached_tokens),
    spendMicros: toBigInt(row.spend_micros),
    pricedRequests: toCount(row.priced_requests),
    unpricedRequests: toCount(row.unpriced_requests),
    cacheHits: toCount(row.cache_hits),
    savedMicros: toBigInt(row.saved_micros),
  };
}
