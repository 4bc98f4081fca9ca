import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { requestLogs, usageDaily } from "~/server/db/schema";
import type { UsageRange } from "../usage-range";
import type { UsageTotals } from "../usage-types";
import { executeRows, toCount } from "./execute-rows";
import { measures, toMeasures, usageFrom, type MeasureRow } from "./usage-sql";

interface TotalsRow extends MeasureRow {
  errors: string;
  semantic_hits: string;
  cache_lookups: string;
  has_traffic: boolean;
}

/** The summary cards of one org over a range: one statement over its usage rows. */
export async function getUsageTotals(
  db: Db,
  args: { orgId: string; range: UsageRange },
): Promise<UsageTotals> {
  const { orgId, range } = args;
  const from = await usageFrom(db, orgId, range);
  const [row] = await executeRows<TotalsRow>(
    db,
    sql`select ${measures},
      coalesce(sum(u.errors), 0)::text as errors,
      coalesce(sum(u.semantic_hits), 0)::text as semantic_hits,
      coalesce(sum(u.cache_lookups), 0)::text as cache_lookups,
      (exists (select 1 from ${requestLogs} where ${requestLogs.orgId} = ${orgId})
        or exists (select 1 from ${usageDaily} where ${usageDaily.orgId} = ${orgId})) as has_traffic
    from ${from}`,
  );
  if (!row) throw new Error("usage totals: the aggregate returned no row");
  const totals = toMeasures(row);
  const cacheLookups = toCount(row.cache_lookups);
  return {
    ...totals,
    since: range.since,
    until: range.until,
    bucket: range.bucket,
    errors: toCount(row.errors),
    semanticHits: toCount(row.semantic_hits),
    cacheLookups,
    hitRate: cacheLookups === 0 ? null : totals.cacheHits / cacheLookups,
    hasTraffic: row.has_traffic === true || String(row.has_traffic) === "t",
  };
}
