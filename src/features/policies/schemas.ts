import { z } from "zod";
import { POLICY_ID_PATTERN } from "~/gateway/guardrails/policy/schema";

/** tRPC and CLI inputs of the policies feature. Policies themselves travel as YAML/JSON text. */

const policyId = z.string().trim().regex(POLICY_ID_PATTERN, "not a policy id");
const documentText = z.string().min(1, "write a policy").max(1_000_000, "at most 1 MB");

export const policyIdInput = z.object({ policyId });
export type PolicyIdInput = z.infer<typeof policyIdInput>;

/** One policy as YAML or JSON; `expectedVersion` refuses an edit made from a stale copy. */
export const savePolicyInput = z.object({
  document: documentText,
  expectedVersion: z.number().int().positive().optional(),
});
export type SavePolicyInput = z.infer<typeof savePolicyInput>;

export const setPolicyEnabledInput = z.object({ policyId, enabled: z.boolean() });
export type SetPolicyEnabledInput = z.infer<typeof setPolicyEnabledInput>;

export const applyPoliciesInput = z.object({ document: documentText });
export type ApplyPoliciesInput = z.infer<typeof applyPoliciesInput>;

/** A sample prompt run through the org's policies (the console's test box). */
export const testPoliciesInput = z.object({
  prompt: z.string().min(1, "write a prompt").max(100_000),
  model: z.string().trim().min(1).max(300).default("gpt-4o-mini"),
  /** Metadata for scoped policies, as `x-switchyard-metadata` would carry it. */
  metadata: z.record(z.string().max(100), z.string().max(500)).optional(),
  keyId: z.string().trim().max(200).optional(),
});
export type TestPoliciesInput = z.input<typeof testPoliciesInput>;
