import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import type { UsageDimension } from "../schemas";
import { bucketStarts, type UsageRange } from "../usage-range";
import type { UsageSeries, UsageSeriesResult } from "../usage-types";
import { executeRows } from "./execute-rows";
import { addMeasures, zeroMeasures } from "./usage-measures";
import {
  bucketOf,
  dimensionLabel,
  dimensionValue,
  isoText,
  NONE_LABELS,
  numericMeasures,
  resummedMeasures,
  toMeasures,
  usageFrom,
  type MeasureRow,
} from "./usage-sql";

export const NONE_ID = "__none__";
export const OTHER_ID = "__other__";

interface SeriesRow extends MeasureRow {
  bucket: string;
  value: string | null;
  label: string | null;
  /** 1 = biggest spender; null for "other". */
  rank: string | null;
  /** The value is one of the top ones (false: folded into "other"). */
  is_top: boolean | string;
}

/**
 * Spend and tokens over time, one series per value of `by` for the `top` biggest spenders (then
 * most tokens) and one "other" series for the rest. One statement: the top values are ranked in a
 * CTE and the (bucket, series) groups summed in SQL; only empty buckets are filled in here.
 */
export async function getUsageSeries(
  db: Db,
  args: { orgId: string; range: UsageRange; by: UsageDimension; top: number },
): Promise<UsageSeriesResult> {
  const { orgId, range, by, top } = args;
  const from = await usageFrom(db, orgId, range);
  const rows = await executeRows<SeriesRow>(
    db,
    // One scan: requests are grouped into (bucket, value) cells first; ranking the values and
    // folding the rest into "other" then works on those few cells, not on every request.
    sql`with cells as materialized (
        select ${bucketOf(range.bucket)} as bucket, ${dimensionValue(by)} as value, ${numericMeasures}
        from ${from}
        group by 1, 2
      ), top_values as (
        select value, ${dimensionLabel(by, orgId, sql`value`)} as label,
          row_number() over (order by spend desc, tokens desc, requests desc, value asc nulls last) as rank
        from (
          select value, sum(spend_micros) as spend, sum(prompt_tokens + completion_tokens) as tokens,
            sum(requests) as requests
          from cells
          group by value
        ) per_value
        order by rank
        limit ${top}
      )
      select ${isoText(sql`cells.bucket`)} as bucket,
        top_values.value as value,
        top_values.label as label,
        top_values.rank::text as rank,
        (top_values.rank is not null) as is_top,
        ${resummedMeasures("cells")}
      from cells
      -- Not a plain equality: requests without a value (null) form a series of their own.
      left join top_values on top_values.value is not distinct from cells.value
      group by cells.bucket, top_values.value, top_values.label, top_values.rank`,
  );
  const buckets = bucketStarts(range);
  const index = new Map(buckets.map((b, i) => [b.toISOString().replace(".000Z", "Z"), i]));
  const byId = new Map<string, UsageSeries & { rank: number }>();
  for (const row of rows) {
    const isTop = row.is_top === true || row.is_top === "t" || row.is_top === "true";
    const id = !isTop ? OTHER_ID : row.value === null ? NONE_ID : row.value;
    let series = byId.get(id);
    if (!series) {
      series = {
        id,
        label: !isTop ? "Other" : row.value === null ? NONE_LABELS[by] : (row.label ?? row.value),
        kind: !isTop ? "other" : row.value === null ? "none" : "value",
        total: zeroMeasures(),
        points: buckets.map(() => zeroMeasures()),
        rank: isTop ? Number(row.rank) : Number.MAX_SAFE_INTEGER,
      };
      byId.set(id, series);
    }
    const at = index.get(row.bucket);
    const m = toMeasures(row);
    if (at !== undefined) series.points[at] = addMeasures(series.points[at]!, m);
    series.total = addMeasures(series.total, m);
  }
  const series = [...byId.values()]
    .sort((a, b) => a.rank - b.rank)
    .map(({ rank: _rank, ...s }) => s);
  return { since: range.since, until: range.until, bucket: range.bucket, by, buckets, series };
}
