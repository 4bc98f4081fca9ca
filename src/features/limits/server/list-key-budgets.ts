import type { Db } from "~/server/db";
import type { BudgetView } from "./budget-view";
import { listBudgets } from "./list-budgets";

/** One key's budgets with their current spend. */
export async function listKeyBudgets(
  db: Db,
  args: { orgId: string; keyId: string },
): Promise<BudgetView[]> {
  return (await listBudgets(db, { orgId: args.orgId })).filter(
    (b) => b.scope === "key" && b.keyId === args.keyId,
  );
}
