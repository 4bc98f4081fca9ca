import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgLimits } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import type { LimitsIdInput } from "../schemas";
import { limitsOf, orgLimitNotFound } from "./limits-rules";

/** Removes the org-wide limits or one model's limits. */
export async function deleteOrgLimit(
  db: Db,
  args: { orgId: string; actor: Actor; input: LimitsIdInput },
): Promise<{ id: string; model: string | null }> {
  const { orgId, input } = args;
  const result = await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(orgLimits)
      .where(and(eq(orgLimits.id, input.id), eq(orgLimits.orgId, orgId)))
      .returning();
    if (!row) throw orgLimitNotFound();
    await recordAuditEvent(tx, {
      orgId,
      actor: args.actor,
      action: "org_limit.delete",
      targetType: "org_limit",
      targetId: row.id,
      summary:
        row.model === null
          ? "Removed the org-wide limits"
          : `Removed the limits of model ${row.model}`,
      changes: { model: row.model, before: limitsOf(row), after: null },
    });
    return { id: row.id, model: row.model };
  });
  invalidateOrgLimits(orgId);
  return result;
}
