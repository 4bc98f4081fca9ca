import { periodBounds } from "~/gateway/limits/budget-periods";
import type { BudgetPeriod, BudgetScope } from "~/gateway/limits/types";

/**
 * The JSON a budget-alert webhook receives. Money is given both as integer micro-dollars (exact)
 * and as a USD number (convenient); times are ISO 8601 UTC.
 */
export interface BudgetAlertPayload {
  type: "budget.threshold_crossed" | "budget.test";
  /** The alert's id (null for a test alert): receivers can de-duplicate on it. */
  id: string | null;
  createdAt: string;
  org: { id: string; slug: string };
  budget: {
    id: string | null;
    scope: BudgetScope;
    keyId: string | null;
    period: BudgetPeriod;
    hard: boolean;
    amountMicros: number;
    amountUsd: number;
  };
  thresholdPct: number;
  spentMicros: number;
  spentUsd: number;
  periodStart: string;
  /** When the period resets; null for a `total` budget. */
  periodEnd: string | null;
  /** The end user of a per-user budget; null otherwise. */
  endUser: string | null;
}

export function alertPayload(input: {
  type: BudgetAlertPayload["type"];
  id: string | null;
  createdAt: Date;
  org: { id: string; slug: string };
  budget: Omit<BudgetAlertPayload["budget"], "amountUsd">;
  thresholdPct: number;
  spentMicros: number;
  periodStart: Date;
  endUser: string | null;
}): BudgetAlertPayload {
  const bounds = periodBounds(input.budget.period, input.periodStart.getTime());
  return {
    type: input.type,
    id: input.id,
    createdAt: input.createdAt.toISOString(),
    org: input.org,
    budget: { ...input.budget, amountUsd: input.budget.amountMicros / 1_000_000 },
    thresholdPct: input.thresholdPct,
    spentMicros: input.spentMicros,
    spentUsd: input.spentMicros / 1_000_000,
    periodStart: input.periodStart.toISOString(),
    periodEnd: bounds.end === null ? null : new Date(bounds.end).toISOString(),
    endUser: input.endUser,
  };
}
