import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import type { UsageRange } from "../usage-range";
import type { TopKeyRow } from "../usage-types";
import { executeRows, toBigInt, toCount } from "./execute-rows";
import { measures, toMeasures, usageFrom, type MeasureRow } from "./usage-sql";

interface KeyRow extends MeasureRow {
  key_id: string | null;
  name: string | null;
  prefix: string | null;
  last4: string | null;
  revoked: boolean | string;
  total_spend: string;
  total_requests: string;
}

/**
 * The API keys that spent most over a range (then sent the most requests), with their share of
 * the whole: one statement; the window sums run over every key before the limit applies.
 */
export async function listTopKeys(
  db: Db,
  args: { orgId: string; range: UsageRange; limit: number },
): Promise<TopKeyRow[]> {
  const { orgId, range, limit } = args;
  const from = await usageFrom(db, orgId, range);
  const rows = await executeRows<KeyRow>(
    db,
    sql`select u.api_key_id as key_id,
        ${apiKeys.name} as name, ${apiKeys.prefix} as prefix, ${apiKeys.last4} as last4,
        (${apiKeys.revokedAt} is not null) as revoked,
        ${measures},
        (sum(coalesce(sum(u.spend_micros), 0)) over ())::text as total_spend,
        (sum(coalesce(sum(u.requests), 0)) over ())::text as total_requests
      from ${from}
      -- The key must belong to the same org: a foreign key id in a log row never leaks a name.
      left join ${apiKeys} on ${apiKeys.id} = u.api_key_id and ${apiKeys.orgId} = ${orgId}
      group by u.api_key_id, ${apiKeys.name}, ${apiKeys.prefix}, ${apiKeys.last4}, ${apiKeys.revokedAt}
      order by coalesce(sum(u.spend_micros), 0) desc,
        coalesce(sum(u.requests), 0) desc, u.api_key_id asc nulls last
      limit ${limit}`,
  );
  return rows.map((row) => {
    const m = toMeasures(row);
    const totalSpend = toBigInt(row.total_spend);
    const totalRequests = toCount(row.total_requests);
    return {
      ...m,
      keyId: row.key_id,
      name: row.name,
      prefix: row.prefix,
      last4: row.last4,
      revoked: row.revoked === true || row.revoked === "t",
      // A ratio for display: exact money stays in spendMicros.
      spendShare: totalSpend === 0n ? null : Number(m.spendMicros) / Number(totalSpend),
      requestShare: totalRequests === 0 ? 0 : m.requests / totalRequests,
    };
  });
}
