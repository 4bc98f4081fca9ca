import { compilePolicies, evaluateInput, type GuardHit } from "~/gateway/guardrails/policy";
import type { Db } from "~/server/db";
import { createGuardrailDirectory, OrgPolicyCache } from "~/server/guardrails/guardrail-directory";
import type { TestPoliciesInput } from "../schemas";
import { testPoliciesInput } from "../schemas";

export interface PolicyTestResult {
  /** What the org's input policies decided. */
  outcome: "allowed" | "blocked" | "rerouted" | "rewritten" | "flagged";
  hits: (GuardHit & { text: string })[];
  blockedBy: GuardHit | null;
  rerouteTo: string | null;
  /** The request as the provider would receive it (null when blocked). */
  sentRequest: string | null;
  /** Policies that would check the answer. */
  outputPolicies: string[];
}

/**
 * Runs a sample prompt through the org's enabled policies (its own and the config file's) as
 * the gateway would, without calling a provider: every hit and the request that would be sent.
 * The person testing wrote the prompt, so hits here carry the matched text for them to see.
 */
export async function testPolicies(
  db: Db,
  args: { orgId: string; input: TestPoliciesInput },
): Promise<PolicyTestResult> {
  const input = testPoliciesInput.parse(args.input);
  // A fresh cache: the test sees what was saved a moment ago, not a cached list.
  const directory = createGuardrailDirectory(db, { cache: new OrgPolicyCache({ ttlMs: 0 }) });
  const policies = await directory.forOrg(args.orgId);
  const body = { model: input.model, messages: [{ role: "user", content: input.prompt }] };
  const requestText = JSON.stringify(body);
  const decision = evaluateInput(compilePolicies(policies), {
    body,
    requestText,
    model: input.model,
    keyId: input.keyId ?? "",
    keyMetadata: {},
    requestMetadata: input.metadata ?? null,
  });
  const outcome: PolicyTestResult["outcome"] = decision.block
    ? "blocked"
    : decision.rerouteTo
      ? "rerouted"
      : decision.body
        ? "rewritten"
        : decision.hits.length > 0
          ? "flagged"
          : "allowed";
  return {
    outcome,
    hits: decision.hits.map((h) => ({
      ...h,
      text: h.location === "messages[0].content" ? input.prompt.slice(h.start, h.end) : "",
    })),
    blockedBy: decision.block,
    rerouteTo: decision.rerouteTo,
    sentRequest: decision.block ? null : JSON.stringify(decision.body ?? body, null, 2),
    outputPolicies: decision.output.map((p) => p.policy.id),
  };
}
