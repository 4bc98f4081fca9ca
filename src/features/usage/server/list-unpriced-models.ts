import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import type { UsageRange } from "../usage-range";
import type { UnpricedModelRow } from "../usage-types";
import { executeRows, toCount } from "./execute-rows";
import { usageFrom } from "./usage-sql";

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
  const from = await usageFrom(db, orgId, range);
  const rows = await executeRows<Row>(
    db,
    sql`select u.model as model,
        u.provider_id as provider_id,
        sum(u.unpriced_requests)::text as requests,
        coalesce(sum(u.unpriced_prompt_tokens), 0)::text as prompt_tokens,
        coalesce(sum(u.unpriced_completion_tokens), 0)::text as completion_tokens,
        to_char(max(u.last_unpriced_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_seen
      from ${from}
      where u.unpriced_requests > 0
      group by 1, 2
      order by sum(u.unpriced_requests) desc, 1 asc nulls last, 2 asc nulls last
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
