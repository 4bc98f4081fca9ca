import { and, asc, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, budgets } from "~/server/db/schema";
import { budgetSpend } from "./budget-spend";
import { toBudgetView, type BudgetView } from "./budget-view";

/** The org's budgets (org first, then keys, then per-user), each with its current-period spend. */
export async function listBudgets(
  db: Db,
  args: { orgId: string; now?: number },
): Promise<BudgetView[]> {
  const rows = await db
    .select({ budget: budgets, keyName: apiKeys.name })
    .from(budgets)
    .leftJoin(apiKeys, and(eq(apiKeys.id, budgets.keyId), eq(apiKeys.orgId, budgets.orgId)))
    .where(eq(budgets.orgId, args.orgId))
    .orderBy(asc(budgets.createdAt))
    .limit(500);
  const order = { org: 0, key: 1, user: 2 } as const;
  rows.sort((a, b) => order[a.budget.scope] - order[b.budget.scope]);
  return Promise.all(
    rows.map(async ({ budget, keyName }) =>
      toBudgetView(
        budget,
        keyName,
        await budgetSpend(db, { orgId: args.orgId, budget, now: args.now }),
      ),
    ),
  );
}
