import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { BudgetSpendSource } from "~/gateway/limits/counter-store";
import type { Db } from "~/server/db";
import { requestLogs, usageDaily } from "~/server/db/schema";
import { DAY_MS } from "~/server/maintenance/utc-day";
import { usageRolledUpThrough } from "~/server/usage-rollup/roll-up-usage";

/**
 * Where a budget counter starts when none exists for its period yet (fresh process, fresh Redis
 * key, a `total` counter dropped after a month idle): the cost already recorded for the scope
 * since the period start. Days the usage roll-up covers are read from `usage_daily` (the raw rows
 * of those days may be gone to the org's log retention; a total budget would otherwise start
 * over), the rest from the request logs. Always filtered by org first, so
 * `request_logs_org_key_idx` (key budgets) or `request_logs_org_time_idx` (org and end-user
 * budgets) serves it. Unpriced rows (null cost) add nothing.
 */
export function createBudgetSpendSource(db: Db): BudgetSpendSource {
  return {
    async spentSince({ orgId, scope, keyId, endUser, since }) {
      const raw: SQL[] = [eq(requestLogs.orgId, orgId)];
      const rolled: SQL[] = [eq(usageDaily.orgId, orgId)];
      if (scope === "key") {
        if (!keyId) return 0;
        raw.push(eq(requestLogs.apiKeyId, keyId));
        rolled.push(eq(usageDaily.apiKeyId, keyId));
      } else if (scope === "user") {
        if (!endUser) return 0;
        raw.push(eq(requestLogs.endUser, endUser));
        rolled.push(eq(usageDaily.endUser, endUser));
      }
      // Whole rolled-up days from the roll-up; the part of a day before them and everything
      // after them from the raw log (periods start at UTC midnight, so the first part is empty).
      const through = await usageRolledUpThrough(db);
      const firstWholeDay = new Date(Math.ceil(since.getTime() / DAY_MS) * DAY_MS);
      const rawSum = (filters: SQL[]) =>
        db
          .select({ spent: sql<string>`coalesce(sum(${requestLogs.costMicros}), 0)::text` })
          .from(requestLogs)
          .where(and(...filters))
          .then(([row]) => BigInt(row?.spent ?? 0));
      if (through === null || through <= firstWholeDay) {
        return Number(await rawSum([...raw, gte(requestLogs.createdAt, since)]));
      }
      const [head, rolledSpend, tail] = await Promise.all([
        firstWholeDay > since
          ? rawSum([
              ...raw,
              gte(requestLogs.createdAt, since),
              lt(requestLogs.createdAt, firstWholeDay),
            ])
          : Promise.resolve(0n),
        db
          .select({ spent: sql<string>`coalesce(sum(${usageDaily.spendMicros}), 0)::text` })
          .from(usageDaily)
          .where(and(...rolled, gte(usageDaily.day, firstWholeDay), lt(usageDaily.day, through)))
          .then(([row]) => BigInt(row?.spent ?? 0)),
        rawSum([...raw, gte(requestLogs.createdAt, through)]),
      ]);
      return Number(head + rolledSpend + tail);
    },
  };
}
