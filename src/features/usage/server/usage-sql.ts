import { sql, type SQL } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import type { UsageDimension } from "../schemas";
import type { UsageMeasures } from "../usage-types";
import type { UsageBucket, UsageRange } from "../usage-range";
import { toBigInt, toCount } from "./execute-rows";
import { planUsageSource, usageRows } from "./usage-source";

/**
 * SQL fragments shared by the usage queries. Every query reads `usageFrom`: one org's usage rows
 * over a range (see usage-source.ts: whole rolled-up days from `usage_daily`, the rest from
 * `request_logs`, each bounded by its (org, time) index), as the derived table `u`.
 */
export async function usageFrom(
  db: Db,
  orgId: string,
  range: Pick<UsageRange, "since" | "until" | "bucket">,
): Promise<SQL> {
  const plan = await planUsageSource(db, { range });
  return sql`(${usageRows(orgId, plan)}) u`;
}

/** The grouping value of each dimension (null when the request had none). */
export function dimensionValue(by: UsageDimension): SQL {
  switch (by) {
    case "model":
      // The model that answered; a request that never reached one counts under what was asked for.
      return sql`u.model`;
    case "key":
      return sql`u.api_key_id`;
    case "provider":
      return sql`u.provider_id`;
    case "user":
      return sql`u.end_user`;
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
  return sql`date_trunc(${unit}, u.at at time zone 'UTC')`;
}

/** A UTC bucket start as ISO text (text: the same on every driver, no Date parsing in between). */
export function isoText(utcTimestamp: SQL): SQL {
  return sql`to_char(${utcTimestamp}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}

export function bucketText(bucket: UsageBucket): SQL {
  return isoText(bucketOf(bucket));
}

/**
 * The measures every breakdown reports, as text columns, summed over usage rows (`u`). Spend sums
 * priced requests only: an unpriced request has no cost, is counted in `unpriced`, and never adds
 * a $0.
 */
export const measures = sql`
  coalesce(sum(u.requests), 0)::text as requests,
  coalesce(sum(u.prompt_tokens), 0)::text as prompt_tokens,
  coalesce(sum(u.completion_tokens), 0)::text as completion_tokens,
  coalesce(sum(u.cached_tokens), 0)::text as cached_tokens,
  coalesce(sum(u.spend_micros), 0)::text as spend_micros,
  coalesce(sum(u.priced_requests), 0)::text as priced_requests,
  coalesce(sum(u.unpriced_requests), 0)::text as unpriced_requests,
  coalesce(sum(u.cache_hits), 0)::text as cache_hits,
  coalesce(sum(u.saved_micros), 0)::text as saved_micros`;

/** `measures` as numbers, for a grouping that is summed again later (`resummedMeasures`). */
export const numericMeasures = sql`
  coalesce(sum(u.requests), 0) as requests,
  coalesce(sum(u.prompt_tokens), 0) as prompt_tokens,
  coalesce(sum(u.completion_tokens), 0) as completion_tokens,
  coalesce(sum(u.cached_tokens), 0) as cached_tokens,
  coalesce(sum(u.spend_micros), 0) as spend_micros,
  coalesce(sum(u.priced_requests), 0) as priced_requests,
  coalesce(sum(u.unpriced_requests), 0) as unpriced_requests,
  coalesce(sum(u.cache_hits), 0) as cache_hits,
  coalesce(sum(u.saved_micros), 0) as saved_micros`;

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
