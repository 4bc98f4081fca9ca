import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { invalidateOrgPolicies } from "~/server/guardrails/guardrail-directory";
import { parsePoliciesDocument, policyProblemsMessage } from "../policy-document";
import type { ApplyPoliciesInput } from "../schemas";
import { writePolicyRow } from "./write-policy-row";

export interface ApplyPoliciesReport {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Upserts the policies of a YAML/JSON document by id (`policies apply`): every policy is validated
 * before anything is written, then all are written in one transaction. Policies the document does
 * not name are left alone.
 */
export async function applyPolicies(
  db: Db,
  args: { orgId: string; actor: Actor; input: ApplyPoliciesInput },
): Promise<ApplyPoliciesReport> {
  const parsed = parsePoliciesDocument(args.input.document);
  if (!parsed.ok) throw new DomainError("BAD_REQUEST", policyProblemsMessage(parsed.problems));
  const report: ApplyPoliciesReport = { created: [], updated: [], unchanged: [] };
  await db.transaction(async (tx) => {
    for (const policy of parsed.value) {
      const { change } = await writePolicyRow(tx, { orgId: args.orgId, actor: args.actor, policy, via: "apply" });
      report[change].push(policy.id);
    }
  });
  invalidateOrgPolicies(args.orgId);
  return report;
}
