import { describe, expect, it } from "vitest";
import {
  estimatePromptTokens,
  targetApplies,
  type ConditionInputs,
} from "~/gateway/routing/conditions";

function inputs(overrides: Partial<ConditionInputs> = {}): ConditionInputs {
  return {
    keyId: "key_1",
    keyName: "backend",
    keyMetadata: { env: "prod" },
    requestMetadata: { team: "search" },
    promptTokens: () => 100,
    ...overrides,
  };
}

describe("route target conditions", () => {
  it("applies a target without conditions to everything", () => {
    expect(targetApplies(undefined, inputs())).toBe(true);
  });

  it("matches keys by id or name", () => {
    expect(targetApplies({ keys: ["key_1"] }, inputs())).toBe(true);
    expect(targetApplies({ keys: ["backend"] }, inputs())).toBe(true);
    expect(targetApplies({ keys: ["key_2", "other"] }, inputs())).toBe(false);
  });

  it("matches metadata exactly, the request's over the key's", () => {
    expect(targetApplies({ metadata: { team: "search" } }, inputs())).toBe(true);
    expect(targetApplies({ metadata: { team: "Search" } }, inputs())).toBe(false);
    expect(targetApplies({ metadata: { env: "prod", team: "search" } }, inputs())).toBe(true);
    expect(
      targetApplies({ metadata: { env: "prod" } }, inputs({ requestMetadata: { env: "dev" } })),
    ).toBe(false);
    expect(targetApplies({ metadata: { missing: "x" } }, inputs({ requestMetadata: null }))).toBe(
      false,
    );
  });

  it("bounds the estimated prompt size inclusively, estimating only when asked", () => {
    let estimated = 0;
    const sized = (tokens: number) =>
      inputs({
        promptTokens: () => {
          estimated += 1;
          return tokens;
        },
      });
    expect(targetApplies({ maxPromptTokens: 100 }, sized(100))).toBe(true);
    expect(targetApplies({ maxPromptTokens: 100 }, sized(101))).toBe(false);
    expect(targetApplies({ minPromptTokens: 101 }, sized(100))).toBe(false);
    expect(targetApplies({ minPromptTokens: 10, maxPromptTokens: 20 }, sized(15))).toBe(true);
    expect(estimated).toBe(4);
    expect(targetApplies({ keys: ["backend"] }, sized(1))).toBe(true);
    expect(estimated).toBe(4);
  });

  it("requires every condition given", () => {
    expect(targetApplies({ keys: ["backend"], maxPromptTokens: 50 }, inputs())).toBe(false);
  });

  it("estimates prompt tokens as ~chars/4 of messages, prompt or input", () => {
    expect(
      estimatePromptTokens({
        messages: [
          { role: "system", content: "a".repeat(40) },
          {
            role: "user",
            content: [{ type: "text", text: "b".repeat(41) }, { type: "image_url" }],
          },
          { role: "assistant", content: null },
        ],
      }),
    ).toBe(21);
    expect(estimatePromptTokens({ prompt: "x".repeat(8) })).toBe(2);
    expect(estimatePromptTokens({ input: ["abcd", "efgh"] })).toBe(2);
    expect(estimatePromptTokens({})).toBe(0);
  });
});
