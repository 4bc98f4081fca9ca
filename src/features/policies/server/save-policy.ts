import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { invalidateOrgPolicies } from "~/server/guardrails/guardrail-directory";
import { parsePolicyText, policyProblemsMessage } from "../policy-document";
import type { SavePolicyInput } from "../schemas";
import { toPolicyView, type PolicyView } from "./policy-view";
import { writePolicyRow, type PolicyChange } from "./write-policy-row";

/** Creates a policy, or saves a new version of the one with its id (the console's editor). */
export async function savePolicy(
  db: Db,
  args: { orgId: string; actor: Actor; input: SavePolicyInput },
): Promise<{ policy: PolicyView; change: PolicyChange }> {
  const parsed = parsePolicyText(args.input.document);
  if (!parsed.ok) throw new DomainError("BAD_REQUEST", policyProblemsMessage(parsed.problems));
  const { change, row } = await db.transaction((tx) =>
    writePolicyRow(tx, { orgId: args.orgId, actor: args.actor, policy: parsed.value, expectedVersion: args.input.expectedVersion }),
  );
  invalidateOrgPolicies(args.orgId);
  return { policy: toPolicyView(row), change };
}
