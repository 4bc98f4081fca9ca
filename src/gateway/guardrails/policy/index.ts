/**
 * Guardrail policies: the schema (console, CLI, config file), the engine that evaluates an org's
 * policies on a request and its answer, and reversible redaction. See docs/guardrails.md.
 */
export * from "./schema";
export type { GuardHit } from "./guard-hit";
export { actionSummary, ACTION_RANK } from "./guard-hit";
export { compilePolicies, compiledPoliciesFor, EMPTY_POLICY_SET, type CompiledPolicySet, type CompiledPolicy } from "./compile-policies";
export { evaluateInput, blockMessage, requestSegments, type InputDecision, type GuardRequest } from "./evaluate-input";
export { OutputGuard, HOLD_CHARS, CONTEXT_CHARS, type GuardedAnswer } from "./output-guard";
export { guardSseStream, SseGuard } from "./sse-guard";
export { Restorer, Scrubber, MAX_PLACEHOLDER_CHARS } from "./redaction";
