import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { budgets } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import type { BudgetPeriod } from "~/gateway/limits/types";
import type { BudgetView } from "./budget-view";
import { createBudget } from "./create-budget";
import { updateBudget } from "./update-budget";

/**
 * Gives a key a budget for `period`: changes the amount and hardness of the key's budget of that
 * period when it has one (thresholds kept), creates it otherwise (default thresholds). What
 * `keys create/update --budget-usd` does.
 */
export async function setKeyBudget(
  db: Db,
  args: {
    orgId: string;
    actor: Actor;
    input: { keyId: string; amountMicros: number; period: BudgetPeriod; hard: boolean };
  },
): Promise<BudgetView> {
  const { orgId, input } = args;
  const [existing] = await db
    .select({ id: budgets.id, alertThresholds: budgets.alertThresholds })
    .from(budgets)
    .where(
      and(
        eq(budgets.orgId, orgId),
        eq(budgets.scope, "key"),
        eq(budgets.keyId, input.keyId),
        eq(budgets.period, input.period),
      ),
    )
    .limit(1);
  if (existing) {
    return updateBudget(db, {
      orgId,
      actor: args.actor,
      input: {
        id: existing.id,
        amountMicros: input.amountMicros,
        period: input.period,
        hard: input.hard,
        alertThresholds: existing.alertThresholds,
      },
    });
  }
  return createBudget(db, {
    orgId,
    actor: args.actor,
    input: {
      scope: "key",
      keyId: input.keyId,
      amountMicros: input.amountMicros,
      period: input.period,
      hard: input.hard,
      alertThresholds: [50, 80, 100],
    },
  });
}
