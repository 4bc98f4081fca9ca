import { and, desc, eq } from "drizzle-orm";
import type { Policy } from "~/gateway/guardrails/policy/schema";
import type { Db } from "~/server/db";
import { guardrailPolicyVersions } from "~/server/db/schema";
import type { PolicyIdInput } from "../schemas";

export interface PolicyVersionView {
  version: number;
  change: string;
  definition: Policy | null;
  actorLabel: string;
  createdAt: Date;
}

/** Every version of one policy, newest first (deleted policies included). */
export async function listPolicyVersions(
  db: Db,
  args: { orgId: string; input: PolicyIdInput },
): Promise<PolicyVersionView[]> {
  return db
    .select({
      version: guardrailPolicyVersions.version,
      change: guardrailPolicyVersions.change,
      definition: guardrailPolicyVersions.definition,
      actorLabel: guardrailPolicyVersions.actorLabel,
      createdAt: guardrailPolicyVersions.createdAt,
    })
    .from(guardrailPolicyVersions)
    .where(and(eq(guardrailPolicyVersions.orgId, args.orgId), eq(guardrailPolicyVersions.policyId, args.input.policyId)))
    .orderBy(desc(guardrailPolicyVersions.version), desc(guardrailPolicyVersions.createdAt))
    .limit(200);
}
