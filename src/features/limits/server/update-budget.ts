import { and, eq, ne } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, budgets } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import type { UpdateBudgetInput } from "../schemas";
import { budgetSpend } from "./budget-spend";
import { describeBudget, toBudgetView, type BudgetView } from "./budget-view";
import { budgetNotFound, isUniqueViolation, usdText } from "./limits-rules";

const periodTaken = (period: string) =>
  new DomainError("CONFLICT", `This scope already has a ${period} budget; edit that one instead.`);

/**
 * Changes a budget's amount, period, hardness and thresholds (its scope and key stay). A new
 * period starts counting from the request log of that period; alerts already sent this period
 * are not sent again for the same threshold.
 */
export async function updateBudget(
  db: Db,
  args: { orgId: string; actor: Actor; input: UpdateBudgetInput },
): Promise<BudgetView> {
  const { orgId, input } = args;
  const saved = await db
    .transaction(async (tx) => {
      const [current] = await tx
        .select({ budget: budgets, keyName: apiKeys.name })
        .from(budgets)
        .leftJoin(apiKeys, and(eq(apiKeys.id, budgets.keyId), eq(apiKeys.orgId, budgets.orgId)))
        .where(and(eq(budgets.id, input.id), eq(budgets.orgId, orgId)))
        .for("update", { of: budgets });
      if (!current) throw budgetNotFound();
      const before = current.budget;
      if (input.period !== before.period) {
        const [clash] = await tx
          .select({ id: budgets.id })
          .from(budgets)
          .where(
            and(
              eq(budgets.orgId, orgId),
              eq(budgets.scope, before.scope),
              eq(budgets.period, input.period),
              ne(budgets.id, before.id),
              before.keyId ? eq(budgets.keyId, before.keyId) : undefined,
            ),
          )
          .limit(1);
        if (clash) throw periodTaken(input.period);
      }
      const [row] = await tx
        .update(budgets)
        .set({
          amountMicros: input.amountMicros,
          period: input.period,
          hard: input.hard,
          alertThresholds: [...input.alertThresholds],
          updatedAt: new Date(),
        })
        .where(and(eq(budgets.id, before.id), eq(budgets.orgId, orgId)))
        .returning();
      const fields = {
        amountMicros: [before.amountMicros, input.amountMicros],
        period: [before.period, input.period],
        hard: [before.hard, input.hard],
        alertThresholds: [before.alertThresholds.join(","), input.alertThresholds.join(",")],
      } as const;
      const changed = Object.entries(fields)
        .filter(([, [a, b]]) => a !== b)
        .map(([k]) => k);
      if (changed.length > 0) {
        await recordAuditEvent(tx, {
          orgId,
          actor: args.actor,
          action: "budget.update",
          targetType: "budget",
          targetId: before.id,
          summary: `Changed the ${describeBudget({ ...before, amountText: usdText(before.amountMicros), keyName: current.keyName })} (${changed.join(", ")}; now ${usdText(input.amountMicros)} ${input.period}, ${input.hard ? "hard" : "soft"})`,
          changes: {
            before: {
              amountMicros: before.amountMicros,
              period: before.period,
              hard: before.hard,
              alertThresholds: before.alertThresholds,
            },
            after: {
              amountMicros: input.amountMicros,
              period: input.period,
              hard: input.hard,
              alertThresholds: input.alertThresholds,
            },
          },
        });
      }
      return { row: row!, keyName: current.keyName };
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw periodTaken(input.period);
      throw err;
    });
  invalidateOrgLimits(orgId);
  return toBudgetView(
    saved.row,
    saved.keyName,
    await budgetSpend(db, { orgId, budget: saved.row }),
  );
}
