import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "~/server/db";
import { keyLimits, rateLimitTiers } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import type { DeleteTierInput } from "../schemas";
import { limitsOf, tierNotFound } from "./limits-rules";

/**
 * Deletes a tier. Keys on it lose the tier (their own overrides stay), so deleting a tier in use
 * needs `unassignKeys`: without it the call is refused (CONFLICT) and says how many keys use it.
 */
export async function deleteTier(
  db: Db,
  args: { orgId: string; actor: Actor; input: DeleteTierInput },
): Promise<{ id: string; name: string; unassignedKeyIds: string[] }> {
  const { orgId, input } = args;
  const result = await db.transaction(async (tx) => {
    const [tier] = await tx
      .select()
      .from(rateLimitTiers)
      .where(and(eq(rateLimitTiers.id, input.id), eq(rateLimitTiers.orgId, orgId)))
      .for("update");
    if (!tier) throw tierNotFound();
    const users = await tx
      .select({ keyId: keyLimits.keyId })
      .from(keyLimits)
      .where(and(eq(keyLimits.orgId, orgId), eq(keyLimits.tierId, tier.id)));
    if (users.length > 0 && !input.unassignKeys) {
      throw new DomainError(
        "CONFLICT",
        `Tier ${tier.name} is assigned to ${users.length} key${users.length === 1 ? "" : "s"}; confirm to delete it and unassign them.`,
      );
    }
    // The foreign key unassigns the keys (tier_id → null); their own overrides stay.
    await tx
      .delete(rateLimitTiers)
      .where(and(eq(rateLimitTiers.id, tier.id), eq(rateLimitTiers.orgId, orgId)));
    const unassignedKeyIds = users.map((u) => u.keyId);
    if (unassignedKeyIds.length > 0) {
      // Keys that had nothing but the tier are left with no row, as if never limited.
      await tx
        .delete(keyLimits)
        .where(
          and(
            eq(keyLimits.orgId, orgId),
            inArray(keyLimits.keyId, unassignedKeyIds),
            isNull(keyLimits.tierId),
            isNull(keyLimits.rpm),
            isNull(keyLimits.tpm),
            isNull(keyLimits.rpd),
            isNull(keyLimits.concurrent),
            isNull(keyLimits.cacheTtlSeconds),
          ),
        );
    }
    await recordAuditEvent(tx, {
      orgId,
      actor: args.actor,
      action: "rate_limit_tier.delete",
      targetType: "rate_limit_tier",
      targetId: tier.id,
      summary: `Deleted rate-limit tier ${tier.name}${unassignedKeyIds.length ? ` and unassigned ${unassignedKeyIds.length} key${unassignedKeyIds.length === 1 ? "" : "s"}` : ""}`,
      changes: { name: tier.name, before: limitsOf(tier), after: null, unassignedKeyIds },
    });
    return { id: tier.id, name: tier.name, unassignedKeyIds };
  });
  invalidateOrgLimits(orgId);
  return result;
}
