import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, budgets } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import type { LimitsIdInput } from "../schemas";
import { describeBudget } from "./budget-view";
import { budgetNotFound, usdText } from "./limits-rules";

/** Removes a budget (and its alert history). */
export async function deleteBudget(
  db: Db,
  args: { orgId: string; actor: Actor; input: LimitsIdInput },
): Promise<{ id: string }> {
  const { orgId, input } = args;
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ budget: budgets, keyName: apiKeys.name })
      .from(budgets)
      .leftJoin(apiKeys, and(eq(apiKeys.id, budgets.keyId), eq(apiKeys.orgId, budgets.orgId)))
      .where(and(eq(budgets.id, input.id), eq(budgets.orgId, orgId)))
      .limit(1);
    if (!current) throw budgetNotFound();
    const b = current.budget;
    await tx.delete(budgets).where(and(eq(budgets.id, b.id), eq(budgets.orgId, orgId)));
    await recordAuditEvent(tx, {
      orgId,
      actor: args.actor,
      action: "budget.delete",
      targetType: "budget",
      targetId: b.id,
      summary: `Deleted the ${describeBudget({ ...b, amountText: usdText(b.amountMicros), keyName: current.keyName })}`,
      changes: {
        before: {
          scope: b.scope,
          keyId: b.keyId,
          amountMicros: b.amountMicros,
          period: b.period,
          hard: b.hard,
          alertThresholds: b.alertThresholds,
        },
        after: null,
      },
    });
  });
  invalidateOrgLimits(orgId);
  return { id: input.id };
}
