import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { requestLogs } from "~/server/db/schema";
import type { UsageRange } from "../usage-range";
import type { UnpricedModelRow } from "../usage-types";
import { executeRows, toCount } from "./execute-rows";
import { usageScope } from "./usage-sql";

interface Row {
  model: string | null;
  provider_id: string | null;
  requests: string;
  prompt_tokens: string;
  completion_tokens: string;
  last_seen: string;
}

/** Models that ran without a known price over a range (their requests have no cost), most used first. */
export async function listUnpricedModels(
  db: Db,
  args: { orgId: string; range: UsageRange; limit: number },
): Promise<UnpricedModelRow[]> {
  const { orgId, range, limit } = args;
  const rows = await executeRows<Row>(
    db,
    sql`select coalesce(${requestLogs.servedModel}, ${requestLogs.requestedModel}) as model,
        ${requestLogs.providerId} as provider_id,
        count(*)::text as requests,
        coalesce(sum(${requestLogs.promptTokens}), 0)::text as prompt_tokens,
        coalesce(sum(${requestLogs.completionTokens}), 0)::text as completion_tokens,
        to_char(max(${requestLogs.createdAt}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_seen
      from ${requestLogs}
      where ${usageScope(orgId, range)} and ${requestLogs.unpriced}
      group by 1, 2
      order by count(*) desc, 1 asc nulls last, 2 asc nulls last
      limit ${limit}`,
  );
  return rows.map((row) => ({
    model: row.model,
    providerId: row.provider_id,
    requests: toCount(row.requests),
    promptTokens: toCount(row.prompt_tokens),
    completionTokens: toCount(row.completion_tokens),
    lastSeen: new Date(row.last_seen),
  }));
}
