import { sql } from "drizzle-orm";
import { executeRows } from "~/features/usage/server/execute-rows";
import type { Db } from "~/server/db";
import { budgetAlerts, budgets } from "~/server/db/schema";

/**
 * Budget alerts are kept this long after their period started: longer than any budget period
 * (a month) and than the longest Usage range (400 days), so recent history stays readable.
 */
export const BUDGET_ALERT_KEEP_DAYS = 400;
const DELETE_BATCH = 5_000;

/**
 * Deletes the alert records of budget periods that started before `before`, a batch per
 * statement. A `budget_alerts` row is written once per budget, period, threshold (and end user
 * for user budgets), so without this the table grows by a few rows per budget every day for
 * daily budgets, and per end user for user budgets. Rows of a period still running are never
 * touched (the once-per-period guard relies on them), nor are those of `total` budgets.
 */
export async function deleteOldBudgetAlerts(db: Db, args: { before: Date }): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await executeRows<{ deleted: string }>(
      db,
      sql`with doomed as (
          select ${budgetAlerts.id} as id from ${budgetAlerts}
          where ${budgetAlerts.periodStart} < ${args.before.toISOString()}::timestamptz
            -- A total budget's one period never ends: its alerts stay, or they would fire again.
            and ${budgetAlerts.budgetId} in (
              select ${budgets.id} from ${budgets} where ${budgets.period} <> 'total'
            )
          limit ${DELETE_BATCH}
        ), gone as (
          delete from ${budgetAlerts} where ${budgetAlerts.id} in (select id from doomed) returning 1
        ) select count(*)::text as deleted from gone`,
    );
    const deleted = Number(row?.deleted ?? 0);
    total += deleted;
    if (deleted < DELETE_BATCH) return total;
  }
}
