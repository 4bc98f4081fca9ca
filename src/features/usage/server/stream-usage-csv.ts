import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import type { UsageDimension } from "../schemas";
import { BUCKET_MS, bucketStart, type UsageRange } from "../usage-range";
import { microsToUsdText } from "../usd-text";
import { executeRows } from "./execute-rows";
import { csvLine, csvText } from "./usage-csv";
import {
  bucketText,
  dimensionLabel,
  dimensionValue,
  measures,
  toMeasures,
  usageFrom,
  type MeasureRow,
} from "./usage-sql";

const DIMENSION_COLUMNS: Record<UsageDimension, string> = {
  model: "model",
  key: "api_key",
  provider: "provider",
  user: "end_user",
};

/** Buckets per statement: bounded memory per step however long the range is. */
const BUCKETS_PER_QUERY = { hour: 24, day: 31 } as const;

interface CsvRow extends MeasureRow {
  bucket: string;
  value: string | null;
  label: string | null;
}

export function usageCsvHeader(by: UsageDimension): string {
  return csvLine([
    "bucket_start",
    DIMENSION_COLUMNS[by],
    ...(by === "key" ? ["api_key_id"] : []),
    "requests",
    "prompt_tokens",
    "completion_tokens",
    "cached_tokens",
    "cost_usd",
    "unpriced_requests",
    "cache_hits",
    "saved_usd",
  ]);
}

/** Consecutive windows of whole buckets covering the range (a bucket is never split in two). */
export function csvWindows(range: UsageRange): { since: Date; until: Date }[] {
  const step = BUCKET_MS[range.bucket] * BUCKETS_PER_QUERY[range.bucket];
  const windows: { since: Date; until: Date }[] = [];
  let since = range.since;
  let edge = bucketStart(range.since, range.bucket).getTime() + step;
  while (since < range.until) {
    const until = new Date(Math.min(edge, range.until.getTime()));
    windows.push({ since, until });
    since = until;
    edge += step;
  }
  return windows;
}

/**
 * The usage breakdown as CSV, generated window by window (one statement each), so a year of
 * hourly-grown data never sits in memory at once. Every value of the dimension gets its rows (no
 * top-N folding: a spreadsheet can sort); only (bucket, value) pairs with requests are listed.
 * `cost_usd` is empty when the cell's requests were all unpriced, never 0.
 */
export async function* streamUsageCsv(
  db: Db,
  args: { orgId: string; range: UsageRange; by: UsageDimension },
): AsyncGenerator<string> {
  const { orgId, range, by } = args;
  yield usageCsvHeader(by);
  for (const window of csvWindows(range)) {
    const from = await usageFrom(db, orgId, { ...window, bucket: range.bucket });
    const rows = await executeRows<CsvRow>(
      db,
      sql`select cells.*, ${dimensionLabel(by, orgId, sql`cells.value`)} as label
        from (
          select ${bucketText(range.bucket)} as bucket, ${dimensionValue(by)} as value, ${measures}
          from ${from}
          group by 1, 2
        ) cells
        order by cells.bucket, cells.spend_micros::bigint desc, cells.requests::bigint desc, cells.value asc nulls last`,
    );
    let chunk = "";
    for (const row of rows) {
      const m = toMeasures(row);
      const unpricedOnly = m.pricedRequests === 0 && m.unpricedRequests > 0;
      chunk += csvLine([
        row.bucket,
        csvText(
          by === "key" ? (row.label ?? (row.value === null ? null : "(deleted key)")) : row.value,
        ),
        ...(by === "key" ? [csvText(row.value)] : []),
        m.requests,
        m.promptTokens,
        m.completionTokens,
        m.cachedTokens,
        unpricedOnly ? "" : microsToUsdText(m.spendMicros),
        m.unpricedRequests,
        m.cacheHits,
        microsToUsdText(m.savedMicros),
      ]);
    }
    if (chunk) yield chunk;
  }
}
