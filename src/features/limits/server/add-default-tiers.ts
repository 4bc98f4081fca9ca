import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { rateLimitTiers } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import { DEFAULT_TIERS, describeLimits, newLimitsId } from "./limits-rules";

/**
 * Creates the free / pro / enterprise tiers the org does not have yet (by name); tiers it already
 * has, edited or not, are left alone. Returns the names created and skipped.
 */
export async function addDefaultTiers(
  db: Db,
  args: { orgId: string; actor: Actor },
): Promise<{ created: string[]; skipped: string[] }> {
  const { orgId } = args;
  const result = await db.transaction(async (tx) => {
    const existing = new Set(
      (
        await tx
          .select({ name: rateLimitTiers.name })
          .from(rateLimitTiers)
          .where(eq(rateLimitTiers.orgId, orgId))
      ).map((r) => r.name),
    );
    const missing = DEFAULT_TIERS.filter((t) => !existing.has(t.name));
    const skipped = DEFAULT_TIERS.filter((t) => existing.has(t.name)).map((t) => t.name);
    for (const tier of missing) {
      const id = newLimitsId("lt");
      await tx.insert(rateLimitTiers).values({ id, orgId, name: tier.name, ...tier.limits });
      await recordAuditEvent(tx, {
        orgId,
        actor: args.actor,
        action: "rate_limit_tier.create",
        targetType: "rate_limit_tier",
        targetId: id,
        summary: `Created default rate-limit tier ${tier.name} (${describeLimits(tier.limits)})`,
        changes: { name: tier.name, after: tier.limits, via: "defaults" },
      });
    }
    return { created: missing.map((t) => t.name), skipped };
  });
  invalidateOrgLimits(orgId);
  return result;
}
