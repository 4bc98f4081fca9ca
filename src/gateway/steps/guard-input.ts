import type { JsonObject } from "~/providers/types";
import type { GatewayContext } from "../context";
import { GatewayError } from "../gateway-error";
import {
  blockMessage,
  compiledPoliciesFor,
  evaluateInput,
  OutputGuard,
  type GuardHit,
  type Policy,
  type Scrubber,
} from "../guardrails/policy";
import type { ApiKeyRecord, GatewayPorts } from "../ports";

/**
 * Guardrails on the request (after validation, before the cache and the model is resolved): runs
 * the org's input policies, refuses a blocked request (400 `content_policy_violation`), sends a
 * rerouted one to its new model, rewrites redacted and masked spans, and leaves on the context
 * what the answer side must do (output policies, restoring placeholders).
 *
 * An org without policies costs one cached lookup: the directory answers an empty list
 * synchronously and the step returns before allocating anything.
 */

export interface GuardState {
  /** Input hits, then output hits as the answer is checked. */
  hits: GuardHit[];
  /** Work on the answer (output policies, restoring placeholders); null when there is none. */
  output: OutputGuard | null;
  /** The request as the log keeps it (every hit span replaced); null: log `requestText`. */
  logRequestText: string | null;
  /** Replaces the request's hit values in answer text bound for the log. */
  scrubber: Scrubber | null;
}

export function contentPolicyError(hit: GuardHit): GatewayError {
  return new GatewayError("content_policy_violation", 400, blockMessage(hit));
}

/**
 * Returns the body to go on with (the same object unless a policy rewrote it): synchronously
 * when the org's policy list is cached, so an org without policies pays no promise at all.
 */
export function guardInput(
  ports: Pick<GatewayPorts, "guardrails">,
  ctx: GatewayContext,
  key: ApiKeyRecord,
  body: JsonObject,
): JsonObject | Promise<JsonObject> {
  const directory = ports.guardrails;
  if (directory === undefined) return body;
  const found = directory.forOrg(key.orgId);
  if (found instanceof Promise) return found.then((list) => applyPolicies(list, ctx, key, body));
  return found.length === 0 ? body : applyPolicies(found, ctx, key, body);
}

function applyPolicies(list: readonly Policy[], ctx: GatewayContext, key: ApiKeyRecord, body: JsonObject): JsonObject {
  if (list.length === 0) return body;
  const set = compiledPoliciesFor(list);
  if (set.input.length === 0 && set.output.length === 0) return body;

  const decision = evaluateInput(set, {
    body,
    requestText: ctx.requestText ?? "",
    model: ctx.requestedModel ?? "",
    keyId: key.id,
    keyMetadata: key.metadata,
    requestMetadata: ctx.metadata,
  });
  const answerChecked = ctx.endpoint !== "embeddings";
  const output =
    answerChecked && (decision.output.length > 0 || decision.restorer !== null)
      ? new OutputGuard(decision.output, decision.restorer, body, decision.hits)
      : null;
  const active = output !== null && output.active ? output : null;
  if (decision.hits.length === 0 && active === null) return body;
  ctx.guard = {
    hits: decision.hits,
    output: active,
    logRequestText: decision.logText,
    scrubber: decision.scrubber,
  };
  if (decision.block !== null) throw contentPolicyError(decision.block);
  if (decision.body === null) return body;
  ctx.body = decision.body;
  ctx.requestText = decision.text;
  if (decision.rerouteTo !== null) ctx.requestedModel = decision.rerouteTo;
  return decision.body;
}
