import { and, count, eq, ne } from "drizzle-orm";
import type { Db } from "~/server/db";
import { keyLimits, rateLimitTiers } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import { toRateLimits, type UpdateTierInput } from "../schemas";
import { tierNameTaken } from "./create-tier";
import { describeLimits, isUniqueViolation, limitsOf, tierNotFound } from "./limits-rules";
import { toTierView, type TierView } from "./tier-view";

/** Renames a tier and/or replaces its limits; every key on the tier follows at once. */
export async function updateTier(
  db: Db,
  args: { orgId: string; actor: Actor; input: UpdateTierInput },
): Promise<TierView> {
  const { orgId, input } = args;
  const limits = toRateLimits(input);
  const result = await db
    .transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(rateLimitTiers)
        .where(and(eq(rateLimitTiers.id, input.id), eq(rateLimitTiers.orgId, orgId)))
        .for("update");
      if (!current) throw tierNotFound();
      const [clash] = await tx
        .select({ id: rateLimitTiers.id })
        .from(rateLimitTiers)
        .where(
          and(
            eq(rateLimitTiers.orgId, orgId),
            eq(rateLimitTiers.name, input.name),
            ne(rateLimitTiers.id, current.id),
          ),
        )
        .limit(1);
      if (clash) throw tierNameTaken(input.name);
      const [updated] = await tx
        .update(rateLimitTiers)
        .set({ name: input.name, ...limits, updatedAt: new Date() })
        .where(and(eq(rateLimitTiers.id, current.id), eq(rateLimitTiers.orgId, orgId)))
        .returning();
      const [used] = await tx
        .select({ n: count() })
        .from(keyLimits)
        .where(and(eq(keyLimits.orgId, orgId), eq(keyLimits.tierId, current.id)));
      const before = limitsOf(current);
      await recordAuditEvent(tx, {
        orgId,
        actor: args.actor,
        action: "rate_limit_tier.update",
        targetType: "rate_limit_tier",
        targetId: current.id,
        summary: `Updated rate-limit tier ${current.name}${current.name !== input.name ? ` (renamed to ${input.name})` : ""}: ${describeLimits(limits)}`,
        changes: { name: { from: current.name, to: input.name }, before, after: limits },
      });
      return toTierView(updated!, used?.n ?? 0);
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw tierNameTaken(input.name);
      throw err;
    });
  invalidateOrgLimits(orgId);
  return result;
}
