import { asc, eq } from "drizzle-orm";
import type { Policy } from "~/gateway/guardrails/policy/schema";
import { instancePolicies } from "~/server/config/instance-config";
import type { Db } from "~/server/db";
import { guardrailPolicies } from "~/server/db/schema";
import { toPolicyView, type PolicyView } from "./policy-view";

export interface InstancePolicyView {
  policyId: string;
  definition: Policy;
  /** The org has a policy with this id, which replaces this one for the org. */
  overridden: boolean;
}

/** The org's policies in the order they run (priority, then id), and the config file's. */
export async function listPolicies(
  db: Db,
  args: { orgId: string; instance?: () => readonly Policy[] },
): Promise<{ org: PolicyView[]; instance: InstancePolicyView[] }> {
  const rows = await db
    .select()
    .from(guardrailPolicies)
    .where(eq(guardrailPolicies.orgId, args.orgId))
    .orderBy(asc(guardrailPolicies.priority), asc(guardrailPolicies.policyId));
  const org = rows.map(toPolicyView);
  const ids = new Set(org.map((p) => p.policyId));
  const instance = (args.instance ?? instancePolicies)().map((definition) => ({
    policyId: definition.id,
    definition,
    overridden: ids.has(definition.id),
  }));
  return { org, instance };
}
