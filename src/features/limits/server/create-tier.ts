import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { rateLimitTiers } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import { toRateLimits, type CreateTierInput } from "../schemas";
import { describeLimits, isUniqueViolation, newLimitsId } from "./limits-rules";
import { toTierView, type TierView } from "./tier-view";

export const tierNameTaken = (name: string) =>
  new DomainError("CONFLICT", `This organization already has a tier named "${name}".`);

/** Adds a named rate-limit tier to the org. */
export async function createTier(
  db: Db,
  args: { orgId: string; actor: Actor; input: CreateTierInput },
): Promise<TierView> {
  const { orgId, input } = args;
  const limits = toRateLimits(input);
  const row = await db
    .transaction(async (tx) => {
      const [clash] = await tx
        .select({ id: rateLimitTiers.id })
        .from(rateLimitTiers)
        .where(and(eq(rateLimitTiers.orgId, orgId), eq(rateLimitTiers.name, input.name)))
        .limit(1);
      if (clash) throw tierNameTaken(input.name);
      const [inserted] = await tx
        .insert(rateLimitTiers)
        .values({ id: newLimitsId("lt"), orgId, name: input.name, ...limits })
        .returning();
      await recordAuditEvent(tx, {
        orgId,
        actor: args.actor,
        action: "rate_limit_tier.create",
        targetType: "rate_limit_tier",
        targetId: inserted!.id,
        summary: `Created rate-limit tier ${input.name} (${describeLimits(limits)})`,
        changes: { name: input.name, after: limits },
      });
      return inserted!;
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw tierNameTaken(input.name);
      throw err;
    });
  invalidateOrgLimits(orgId);
  return toTierView(row, 0);
}
