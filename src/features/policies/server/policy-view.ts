import type { Policy } from "~/gateway/guardrails/policy/schema";
import type { guardrailPolicies } from "~/server/db/schema";

/** A stored policy as the console and CLI show it. */
export interface PolicyView {
  policyId: string;
  name: string;
  enabled: boolean;
  priority: number;
  stage: Policy["stage"];
  version: number;
  definition: Policy;
  createdBy: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export function toPolicyView(row: typeof guardrailPolicies.$inferSelect): PolicyView {
  return {
    policyId: row.policyId,
    name: row.name,
    enabled: row.enabled,
    priority: row.priority,
    stage: row.definition.stage,
    version: row.version,
    definition: { ...row.definition, enabled: row.enabled },
    createdBy: row.createdBy,
    updatedBy: row.updatedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
