import { and, eq } from "drizzle-orm";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import type { Db } from "~/server/db";
import { guardrailPolicies } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { invalidateOrgPolicies } from "~/server/guardrails/guardrail-directory";
import type { PolicyIdInput } from "../schemas";
import { insertPolicyVersion } from "./write-policy-row";

/** Deletes a policy; its history stays readable (a `deleted` version closes it). */
export async function deletePolicy(
  db: Db,
  args: { orgId: string; actor: Actor; input: PolicyIdInput },
): Promise<{ policyId: string }> {
  const { orgId, actor, input } = args;
  await db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(guardrailPolicies)
      .where(and(eq(guardrailPolicies.orgId, orgId), eq(guardrailPolicies.policyId, input.policyId)))
      .returning();
    if (!deleted) throw new DomainError("NOT_FOUND", `No policy '${input.policyId}' in this organization.`);
    await insertPolicyVersion(tx, { orgId, policyId: deleted.policyId, version: deleted.version + 1, change: "deleted", definition: null, actor });
    await recordAuditEvent(tx, {
      orgId,
      actor,
      action: "policy.delete",
      targetType: "policy",
      targetId: deleted.policyId,
      summary: `Deleted guardrail policy ${deleted.name} (${deleted.policyId})`,
      changes: { version: deleted.version + 1, before: deleted.definition, after: null },
    });
  });
  invalidateOrgPolicies(orgId);
  return { policyId: input.policyId };
}
