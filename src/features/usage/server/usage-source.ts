import { and, asc, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/server/db";
import { requestLogs, usageDaily, usageRollupDays } from "~/server/db/schema";
import type { UsageRange } from "../usage-range";

const DAY_MS = 86_400_000;

interface Interval {
  since: Date;
  until: Date;
}

/**
 * Where a range's usage is read from: whole UTC days the roll-up covers from `usage_daily`, the
 * rest (today, the ragged ends, days not rolled up yet) from `request_logs`. Hourly views always
 * read the raw log (the roll-up has no hours; their ranges are two days at most).
 */
export interface UsageSourcePlan {
  raw: Interval[];
  rolled: Interval[];
}

/** Splits a range between the roll-up and the raw log (one small query on `usage_rollup_days`). */
export async function planUsageSource(
  db: Db,
  args: { range: Pick<UsageRange, "since" | "until" | "bucket">; now?: Date },
): Promise<UsageSourcePlan> {
  const { since, until, bucket } = args.range;
  const whole = { raw: [{ since, until }], rolled: [] };
  if (bucket !== "day") return whole;
  const today = Math.floor((args.now ?? new Date()).getTime() / DAY_MS) * DAY_MS;
  const first = Math.ceil(since.getTime() / DAY_MS) * DAY_MS;
  const last = Math.min(Math.floor(until.getTime() / DAY_MS) * DAY_MS, today);
  if (first >= last) return whole;
  const days = await db
    .select({ day: usageRollupDays.day })
    .from(usageRollupDays)
    .where(and(gte(usageRollupDays.day, new Date(first)), lt(usageRollupDays.day, new Date(last))))
    .orderBy(asc(usageRollupDays.day));
  if (days.length === 0) return whole;
  // Runs of consecutive rolled-up days; the gaps between them go to the raw log.
  const rolled: Interval[] = [];
  for (const { day } of days) {
    const prev = rolled[rolled.length - 1];
    if (prev && prev.until.getTime() === day.getTime()) prev.until = new Date(day.getTime() + DAY_MS);
    else rolled.push({ since: day, until: new Date(day.getTime() + DAY_MS) });
  }
  const raw: Interval[] = [];
  let cursor = since;
  for (const r of rolled) {
    if (cursor < r.since) raw.push({ since: cursor, until: r.since });
    cursor = r.until;
  }
  if (cursor < until) raw.push({ since: cursor, until });
  return { raw, rolled };
}

function anyOf(column: SQL, intervals: Interval[]): SQL {
  if (intervals.length === 0) return sql`false`;
  return sql.join(
    intervals.map(
      (i) =>
        sql`(${column} >= ${i.since.toISOString()}::timestamptz and ${column} < ${i.until.toISOString()}::timestamptz)`,
    ),
    sql` or `,
  );
}

/**
 * The usage rows of one org as a derived table (`from (${usageRows(...)}) u`): one row per raw
 * request and one per roll-up group, with the same columns, so every Usage query sums them the
 * same way whichever source a day came from. Columns: `at` (the request's time, or the day for a
 * roll-up row), `api_key_id`, `model`, `provider_id`, `end_user`, then the measures.
 */
export function usageRows(orgId: string, plan: UsageSourcePlan): SQL {
  const l = requestLogs;
  const rawPart = sql`select ${l.createdAt} as at, ${l.apiKeyId} as api_key_id,
      coalesce(${l.servedModel}, ${l.requestedModel}) as model,
      ${l.providerId} as provider_id, ${l.endUser} as end_user,
      1::bigint as requests,
      coalesce(${l.promptTokens}, 0)::bigint as prompt_tokens,
      coalesce(${l.completionTokens}, 0)::bigint as completion_tokens,
      coalesce(${l.cachedTokens}, 0)::bigint as cached_tokens,
      (case when ${l.unpriced} then 0 else coalesce(${l.costMicros}, 0) end)::bigint as spend_micros,
      (case when not ${l.unpriced} and ${l.costMicros} is not null then 1 else 0 end)::bigint as priced_requests,
      (case when ${l.unpriced} then 1 else 0 end)::bigint as unpriced_requests,
      (case when ${l.unpriced} then coalesce(${l.promptTokens}, 0) else 0 end)::bigint as unpriced_prompt_tokens,
      (case when ${l.unpriced} then coalesce(${l.completionTokens}, 0) else 0 end)::bigint as unpriced_completion_tokens,
      (case when ${l.unpriced} then ${l.createdAt} end) as last_unpriced_at,
      (case when ${l.cacheStatus} in ('hit', 'semantic_hit') then 1 else 0 end)::bigint as cache_hits,
      (case when ${l.cacheStatus} = 'semantic_hit' then 1 else 0 end)::bigint as semantic_hits,
      (case when ${l.cacheStatus} in ('hit', 'semantic_hit', 'miss') then 1 else 0 end)::bigint as cache_lookups,
      (case when ${l.status} >= 400 then 1 else 0 end)::bigint as errors,
      coalesce(${l.savedMicros}, 0)::bigint as saved_micros
    from ${l}
    where ${l.orgId} = ${orgId} and (${anyOf(sql`${l.createdAt}`, plan.raw)})`;
  if (plan.rolled.length === 0) return rawPart;
  const d = usageDaily;
  return sql`${rawPart}
    union all
    select ${d.day}, ${d.apiKeyId}, ${d.model}, ${d.providerId}, ${d.endUser},
      ${d.requests}, ${d.promptTokens}, ${d.completionTokens}, ${d.cachedTokens}, ${d.spendMicros},
      ${d.pricedRequests}, ${d.unpricedRequests}, ${d.unpricedPromptTokens},
      ${d.unpricedCompletionTokens}, ${d.lastUnpricedAt}, ${d.cacheHits}, ${d.semanticHits},
      ${d.cacheLookups}, ${d.errors}, ${d.savedMicros}
    from ${d}
    where ${d.orgId} = ${orgId} and (${anyOf(sql`${d.day}`, plan.rolled)})`;
}
