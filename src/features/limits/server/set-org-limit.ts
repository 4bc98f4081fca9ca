import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgLimits } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import { toRateLimits, type SetOrgLimitInput } from "../schemas";
import {
  describeLimits,
  hasAnyLimit,
  isUniqueViolation,
  limitsOf,
  newLimitsId,
} from "./limits-rules";
import { toOrgLimitView, type OrgLimitView } from "./org-limit-view";

/**
 * Sets the org-wide limits (`model: null`) or one model's limits, creating the row or replacing
 * its values. A row with no measure set would limit nothing: delete it instead.
 */
export async function setOrgLimit(
  db: Db,
  args: { orgId: string; actor: Actor; input: SetOrgLimitInput },
): Promise<OrgLimitView> {
  const { orgId, input } = args;
  const limits = toRateLimits(input);
  if (!hasAnyLimit(limits)) {
    throw new DomainError(
      "BAD_REQUEST",
      "Set at least one limit (requests per minute, tokens per minute, requests per day or concurrent requests), or delete the row.",
    );
  }
  const what = input.model === null ? "org-wide limits" : `limits of model ${input.model}`;
  const save = () =>
    db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(orgLimits)
        .where(
          and(
            eq(orgLimits.orgId, orgId),
            input.model === null ? isNull(orgLimits.model) : eq(orgLimits.model, input.model),
          ),
        )
        .for("update");
      const now = new Date();
      const [row] = current
        ? await tx
            .update(orgLimits)
            .set({ ...limits, updatedAt: now })
            .where(and(eq(orgLimits.id, current.id), eq(orgLimits.orgId, orgId)))
            .returning()
        : await tx
            .insert(orgLimits)
            .values({ id: newLimitsId("ol"), orgId, model: input.model, ...limits })
            .returning();
      await recordAuditEvent(tx, {
        orgId,
        actor: args.actor,
        action: "org_limit.set",
        targetType: "org_limit",
        targetId: row!.id,
        summary: `${current ? "Changed" : "Set"} ${what}: ${describeLimits(limits)}`,
        changes: { model: input.model, before: current ? limitsOf(current) : null, after: limits },
      });
      return row!;
    });
  // Two first saves of the same model can race; the unique index keeps one, the other retries
  // as an update.
  const row = await save().catch((err: unknown) => {
    if (isUniqueViolation(err)) return save();
    throw err;
  });
  invalidateOrgLimits(orgId);
  return toOrgLimitView(row);
}
