import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { budgets } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { deleteBudget } from "./delete-budget";

/** Deletes every budget of one key (audited one by one); returns how many there were. */
export async function deleteKeyBudgets(
  db: Db,
  args: { orgId: string; actor: Actor; keyId: string },
): Promise<number> {
  const rows = await db
    .select({ id: budgets.id })
    .from(budgets)
    .where(and(eq(budgets.orgId, args.orgId), eq(budgets.keyId, args.keyId)));
  for (const row of rows) {
    await deleteBudget(db, { orgId: args.orgId, actor: args.actor, input: { id: row.id } });
  }
  return rows.length;
}
