import { and, eq, gte, sql, type SQL } from "drizzle-orm";
import type { BudgetSpendSource } from "~/gateway/limits/counter-store";
import type { Db } from "~/server/db";
import { requestLogs } from "~/server/db/schema";

/**
 * Where a budget counter starts when none exists for its period yet (fresh process, fresh Redis
 * key): the cost the request logs already recorded for the scope since the period start. Always
 * filtered by org first, so `request_logs_org_key_idx` (key budgets) or `request_logs_org_time_idx`
 * (org and end-user budgets) serves it. Unpriced rows (null cost) add nothing.
 */
export function createBudgetSpendSource(db: Db): BudgetSpendSource {
  return {
    async spentSince({ orgId, scope, keyId, endUser, since }) {
      const filters: SQL[] = [eq(requestLogs.orgId, orgId)];
      if (scope === "key") {
        if (!keyId) return 0;
        filters.push(eq(requestLogs.apiKeyId, keyId));
      } else if (scope === "user") {
        if (!endUser) return 0;
        filters.push(eq(requestLogs.endUser, endUser));
      }
      filters.push(gte(requestLogs.createdAt, since));
      const [row] = await db
        .select({ spent: sql<string>`coalesce(sum(${requestLogs.costMicros}), 0)::text` })
        .from(requestLogs)
        .where(and(...filters));
      return Number(row?.spent ?? 0);
    },
  };
}
