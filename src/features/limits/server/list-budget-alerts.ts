import { and, desc, eq } from "drizzle-orm";
import type { BudgetPeriod, BudgetScope } from "~/gateway/limits/types";
import type { Db } from "~/server/db";
import { apiKeys, budgetAlerts, budgets, type WebhookStatus } from "~/server/db/schema";

export interface BudgetAlertView {
  id: string;
  budgetId: string;
  scope: BudgetScope;
  period: BudgetPeriod;
  hard: boolean;
  keyName: string | null;
  thresholdPct: number;
  spentMicros: number;
  amountMicros: number;
  periodStart: Date;
  endUser: string | null;
  webhookStatus: WebhookStatus;
  webhookError: string | null;
  createdAt: Date;
}

/** The org's most recent budget alerts, newest first. */
export async function listBudgetAlerts(
  db: Db,
  args: { orgId: string; limit?: number },
): Promise<BudgetAlertView[]> {
  const rows = await db
    .select({
      id: budgetAlerts.id,
      budgetId: budgetAlerts.budgetId,
      scope: budgets.scope,
      period: budgets.period,
      hard: budgets.hard,
      keyName: apiKeys.name,
      thresholdPct: budgetAlerts.thresholdPct,
      spentMicros: budgetAlerts.spentMicros,
      amountMicros: budgetAlerts.amountMicros,
      periodStart: budgetAlerts.periodStart,
      endUser: budgetAlerts.endUser,
      webhookStatus: budgetAlerts.webhookStatus,
      webhookError: budgetAlerts.webhookError,
      createdAt: budgetAlerts.createdAt,
    })
    .from(budgetAlerts)
    .innerJoin(
      budgets,
      and(eq(budgets.id, budgetAlerts.budgetId), eq(budgets.orgId, budgetAlerts.orgId)),
    )
    .leftJoin(apiKeys, and(eq(apiKeys.id, budgets.keyId), eq(apiKeys.orgId, budgets.orgId)))
    .where(eq(budgetAlerts.orgId, args.orgId))
    .orderBy(desc(budgetAlerts.createdAt))
    .limit(args.limit ?? 20);
  return rows;
}
