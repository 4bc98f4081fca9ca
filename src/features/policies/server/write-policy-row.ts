import { and, eq } from "drizzle-orm";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { canonicalJson } from "~/gateway/cache/canonical-json";
import type { Policy } from "~/gateway/guardrails/policy/schema";
import { randomBase62 } from "~/lib/ids";
import type { Db } from "~/server/db";
import { guardrailPolicies, guardrailPolicyVersions } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";

export type PolicyChange = "created" | "updated" | "unchanged";

// Key order is not kept by jsonb: compare canonical forms.
const sameDefinition = (a: Policy, b: Policy) => canonicalJson(a) === canonicalJson(b);

/** Appends a version row (the history), inside the caller's transaction. */
export async function insertPolicyVersion(
  tx: Db,
  args: { orgId: string; policyId: string; version: number; change: "created" | "updated" | "deleted"; definition: Policy | null; actor: Actor },
): Promise<void> {
  await tx.insert(guardrailPolicyVersions).values({
    id: `gpv_${randomBase62(20)}`,
    orgId: args.orgId,
    policyId: args.policyId,
    version: args.version,
    change: args.change,
    definition: args.definition,
    actorLabel: args.actor.label,
  });
}

/**
 * Creates the policy or writes a new version of it (same id), with a version row and an audit
 * event, inside the caller's transaction. An identical definition writes nothing.
 */
export async function writePolicyRow(
  tx: Db,
  args: { orgId: string; actor: Actor; policy: Policy; expectedVersion?: number; via?: string },
): Promise<{ change: PolicyChange; row: typeof guardrailPolicies.$inferSelect }> {
  const { orgId, actor, policy } = args;
  const [current] = await tx
    .select()
    .from(guardrailPolicies)
    .where(and(eq(guardrailPolicies.orgId, orgId), eq(guardrailPolicies.policyId, policy.id)))
    .limit(1)
    .for("update");
  const via = args.via ? `, via ${args.via}` : "";
  if (!current) {
    if (args.expectedVersion !== undefined) {
      throw new DomainError("NOT_FOUND", `Policy '${policy.id}' does not exist (it may have been deleted).`);
    }
    const [row] = await tx
      .insert(guardrailPolicies)
      .values({
        id: `gp_${randomBase62(20)}`,
        orgId,
        policyId: policy.id,
        name: policy.name,
        enabled: policy.enabled,
        priority: policy.priority,
        definition: policy,
        createdBy: actor.label,
        updatedBy: actor.label,
      })
      .returning();
    await insertPolicyVersion(tx, { orgId, policyId: policy.id, version: 1, change: "created", definition: policy, actor });
    await recordAuditEvent(tx, {
      orgId,
      actor,
      action: "policy.create",
      targetType: "policy",
      targetId: policy.id,
      summary: `Added guardrail policy ${policy.name} (${policy.id}, ${policy.rules.length} rule${policy.rules.length === 1 ? "" : "s"}${via})`,
      changes: { version: 1, before: null, after: policy },
    });
    return { change: "created", row: row! };
  }
  if (args.expectedVersion !== undefined && args.expectedVersion !== current.version) {
    throw new DomainError(
      "CONFLICT",
      `Policy '${policy.id}' was changed by ${current.updatedBy} since you opened it (version ${current.version}, you edited ${args.expectedVersion}). Reload and edit again.`,
    );
  }
  const before = { ...current.definition, enabled: current.enabled };
  if (sameDefinition(before, policy)) return { change: "unchanged", row: current };
  const version = current.version + 1;
  const [row] = await tx
    .update(guardrailPolicies)
    .set({
      name: policy.name,
      enabled: policy.enabled,
      priority: policy.priority,
      definition: policy,
      version,
      updatedBy: actor.label,
      updatedAt: new Date(),
    })
    .where(and(eq(guardrailPolicies.orgId, orgId), eq(guardrailPolicies.id, current.id)))
    .returning();
  await insertPolicyVersion(tx, { orgId, policyId: policy.id, version, change: "updated", definition: policy, actor });
  await recordAuditEvent(tx, {
    orgId,
    actor,
    action: "policy.update",
    targetType: "policy",
    targetId: policy.id,
    summary: `Changed guardrail policy ${policy.name} (${policy.id}) to version ${version}${via}`,
    changes: { version, before, after: policy },
  });
  return { change: "updated", row: row! };
}
