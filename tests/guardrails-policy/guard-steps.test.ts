import { describe, expect, it } from "vitest";
import { createContext } from "~/gateway/context";
import { GatewayError } from "~/gateway/gateway-error";
import { policySchema, type Policy } from "~/gateway/guardrails/policy";
import type { ApiKeyRecord, GuardrailDirectory } from "~/gateway/ports";
import { guardInput } from "~/gateway/steps/guard-input";
import { guardAnswer } from "~/gateway/steps/guard-output";

const key: ApiKeyRecord = { id: "key_1", orgId: "org_1", name: "k", allowedModels: null, metadata: {}, expiresAt: null, revokedAt: null };

function contextFor(content: string) {
  const ctx = createContext("req_1", 0);
  const body = { model: "gpt-4o-mini", messages: [{ role: "user", content }] };
  ctx.endpoint = "chat.completions";
  ctx.body = body;
  ctx.requestText = JSON.stringify(body);
  ctx.requestedModel = body.model;
  return { ctx, body };
}

const directory = (list: readonly Policy[]): GuardrailDirectory => ({ forOrg: () => list });
const EMPTY: readonly Policy[] = Object.freeze([]);

describe("guard-input step", () => {
  it("returns the same body synchronously and leaves no state without policies", () => {
    const { ctx, body } = contextFor("mail jane@example.com");
    const text = ctx.requestText;
    expect(guardInput({}, ctx, key, body)).toBe(body);
    expect(guardInput({ guardrails: directory(EMPTY) }, ctx, key, body)).toBe(body);
    expect(ctx.guard).toBeNull();
    expect(ctx.requestText).toBe(text);
  });

  it("awaits a directory that has to load", async () => {
    const { ctx, body } = contextFor("hello");
    const result = guardInput({ guardrails: { forOrg: () => Promise.resolve(EMPTY) } }, ctx, key, body);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe(body);
  });

  it("rewrites the body and text, and leaves the answer work on the context", () => {
    const policy = policySchema.parse({ id: "pii", name: "PII", rules: [{ id: "r", detectors: ["pii.email"], action: "redact" }] });
    const { ctx, body } = contextFor("mail jane@example.com");
    const out = guardInput({ guardrails: directory([policy]) }, ctx, key, body) as typeof body;
    expect(out).not.toBe(body);
    expect(out.messages[0]!.content).toBe("mail [EMAIL_1]");
    expect(ctx.requestText).toContain("[EMAIL_1]");
    expect(ctx.requestText).not.toContain("jane@example.com");
    expect(ctx.guard?.output).not.toBeNull();
    const answer = guardAnswer(ctx, JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "to [EMAIL_1]" } }] }));
    expect(answer.client).toContain("to jane@example.com");
    expect(answer.log).not.toContain("jane@example.com");
  });

  it("throws content_policy_violation on a block, after noting the hits", () => {
    const policy = policySchema.parse({ id: "no-keys", name: "No keys", rules: [{ id: "aws", detectors: ["secret.aws"], action: "block" }] });
    const { ctx, body } = contextFor("AKIAIOSFODNN7ABCDEFG");
    let thrown: unknown;
    try {
      guardInput({ guardrails: directory([policy]) }, ctx, key, body);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).toBody().error).toMatchObject({ code: "content_policy_violation", type: "invalid_request_error" });
    expect((thrown as GatewayError).message).not.toContain("AKIA");
    expect(ctx.guard?.hits).toHaveLength(1);
    expect(ctx.guard?.logRequestText).not.toContain("AKIA");
  });
});
