import { and, desc, eq, gte, isNotNull, sql } from "drizzle-orm";
import { periodBounds } from "~/gateway/limits/budget-periods";
import type { BudgetPeriod, BudgetScope } from "~/gateway/limits/types";
import type { Db } from "~/server/db";
import { requestLogs } from "~/server/db/schema";

export interface BudgetSpend {
  /** Priced spend in the current period (micro-dollars); for user budgets, the top end user's. */
  spentMicros: number;
  periodStart: Date;
  /** When the period resets; null for `total`. */
  resetsAt: Date | null;
  /** The end user who spent most in the period (user budgets only). */
  topEndUser: string | null;
}

/**
 * What a budget's scope spent in its current period, from the request log (the same source the
 * limits engine starts its counters from): the sum of `cost_micros` since the period start.
 * Unpriced requests (null cost) count nothing. Requests still in flight are not in the log yet.
 */
export async function budgetSpend(
  db: Db,
  args: {
    orgId: string;
    budget: { scope: BudgetScope; keyId: string | null; period: BudgetPeriod };
    now?: number;
  },
): Promise<BudgetSpend> {
  const bounds = periodBounds(args.budget.period, args.now ?? Date.now());
  const periodStart = new Date(bounds.start);
  const resetsAt = bounds.end === null ? null : new Date(bounds.end);
  const total = sql<string>`coalesce(sum(${requestLogs.costMicros}), 0)::text`;
  const since = and(eq(requestLogs.orgId, args.orgId), gte(requestLogs.createdAt, periodStart));

  if (args.budget.scope === "user") {
    const [top] = await db
      .select({ endUser: requestLogs.endUser, spent: total })
      .from(requestLogs)
      .where(and(since, isNotNull(requestLogs.endUser)))
      .groupBy(requestLogs.endUser)
      .orderBy(desc(sql`sum(${requestLogs.costMicros})`))
      .limit(1);
    return {
      spentMicros: top ? Number(top.spent) : 0,
      periodStart,
      resetsAt,
      topEndUser: top?.endUser ?? null,
    };
  }
  const [row] = await db
    .select({ spent: total })
    .from(requestLogs)
    .where(
      args.budget.scope === "key" && args.budget.keyId
        ? and(since, eq(requestLogs.apiKeyId, args.budget.keyId))
        : since,
    );
  return { spentMicros: Number(row?.spent ?? 0), periodStart, resetsAt, topEndUser: null };
}
