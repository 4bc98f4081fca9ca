import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { guardrailPolicies } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { invalidateOrgPolicies } from "~/server/guardrails/guardrail-directory";
import type { SetPolicyEnabledInput } from "../schemas";
import { toPolicyView, type PolicyView } from "./policy-view";
import { writePolicyRow } from "./write-policy-row";

/** Turns a policy on or off (a new version, like any other change). */
export async function setPolicyEnabled(
  db: Db,
  args: { orgId: string; actor: Actor; input: SetPolicyEnabledInput },
): Promise<PolicyView> {
  const { orgId, input } = args;
  const row = await db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(guardrailPolicies)
      .where(and(eq(guardrailPolicies.orgId, orgId), eq(guardrailPolicies.policyId, input.policyId)))
      .limit(1);
    if (!current) throw new DomainError("NOT_FOUND", `No policy '${input.policyId}' in this organization.`);
    const policy = { ...current.definition, enabled: input.enabled };
    return (await writePolicyRow(tx, { orgId, actor: args.actor, policy })).row;
  });
  invalidateOrgPolicies(orgId);
  return toPolicyView(row);
}
