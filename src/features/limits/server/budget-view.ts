import type { BudgetPeriod, BudgetScope } from "~/gateway/limits/types";
import type { budgets } from "~/server/db/schema";
import type { BudgetSpend } from "./budget-spend";

export interface BudgetView extends BudgetSpend {
  id: string;
  scope: BudgetScope;
  keyId: string | null;
  /** The key's name for key budgets. */
  keyName: string | null;
  amountMicros: number;
  period: BudgetPeriod;
  hard: boolean;
  alertThresholds: number[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export function toBudgetView(
  row: typeof budgets.$inferSelect,
  keyName: string | null,
  spend: BudgetSpend,
): BudgetView {
  return {
    id: row.id,
    scope: row.scope,
    keyId: row.keyId,
    keyName,
    amountMicros: row.amountMicros,
    period: row.period,
    hard: row.hard,
    alertThresholds: [...row.alertThresholds].sort((a, b) => a - b),
    createdBy: row.createdByLabel,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...spend,
  };
}

/** How a budget reads in summaries: `hard monthly org budget of $100.00`. */
export function describeBudget(b: {
  scope: BudgetScope;
  period: BudgetPeriod;
  hard: boolean;
  amountText: string;
  keyName?: string | null;
}): string {
  const whose =
    b.scope === "org"
      ? "org"
      : b.scope === "user"
        ? "per-end-user"
        : `key ${b.keyName ?? ""}`.trim();
  return `${b.hard ? "hard" : "soft"} ${b.period} ${whose} budget of ${b.amountText}`;
}
