import { describe, expect, it } from "vitest";
import {
  escalationReason,
  looksLikeRefusal,
  meanTokenProbability,
} from "~/gateway/routing/cascade";
import { cascadeCheckSchema, type CascadeCheck } from "~/gateway/routing/route-schema";

const DEFAULTS: CascadeCheck = cascadeCheckSchema.parse({});

function answer(content: string | null, extra: Record<string, unknown> = {}, messageExtra = {}) {
  return {
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, ...messageExtra },
        finish_reason: "stop",
        ...extra,
      },
    ],
  };
}

const logprobs = (...values: number[]) => ({
  logprobs: {
    content: values.map((logprob, i) => ({ token: `t${i}`, logprob, top_logprobs: [] })),
  },
});

const CHAT = { model: "x", messages: [{ role: "user", content: "hi" }] };
const JSON_CHAT = { ...CHAT, response_format: { type: "json_object" } };

describe("cascade escalation check", () => {
  it("keeps a good answer", () => {
    expect(escalationReason(answer("Paris is the capital of France."), CHAT, DEFAULTS)).toBeNull();
    expect(escalationReason(answer('{"city":"Paris"}'), JSON_CHAT, DEFAULTS)).toBeNull();
  });

  it("escalates refusals: phrases at the start, and the refusal field", () => {
    for (const text of [
      "I'm sorry, but I can't help with that.",
      "I’m sorry, but I cannot assist with this request.",
      "I cannot help with that request.",
      "Sorry, I can't do that.",
      "I am unable to provide that information.",
      "As an AI language model, I cannot browse the internet.",
      "  I won't help with that.",
    ]) {
      expect(escalationReason(answer(text), CHAT, DEFAULTS), text).toBe("refusal");
    }
    expect(escalationReason(answer(null, {}, { refusal: "No." }), CHAT, DEFAULTS)).toBe("refusal");
    // A refusal phrase later in a real answer is not a refusal.
    expect(
      escalationReason(
        answer("Here is the summary. I can't stress this enough: test."),
        CHAT,
        DEFAULTS,
      ),
    ).toBeNull();
    expect(looksLikeRefusal("I can help with that!")).toBe(false);
    expect(
      escalationReason(answer("I can't help with that."), CHAT, { ...DEFAULTS, refusal: false }),
    ).toBeNull();
  });

  it("escalates empty answers, but not tool calls", () => {
    expect(escalationReason(answer(""), CHAT, DEFAULTS)).toBe("empty");
    expect(escalationReason(answer("  \n"), CHAT, DEFAULTS)).toBe("empty");
    expect(escalationReason(answer(null), CHAT, DEFAULTS)).toBe("empty");
    expect(escalationReason({ choices: [] }, CHAT, DEFAULTS)).toBe("empty");
    const toolCall = {
      tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
    };
    expect(escalationReason(answer(null, {}, toolCall), CHAT, DEFAULTS)).toBeNull();
    expect(escalationReason(answer(""), CHAT, { ...DEFAULTS, empty: false })).toBeNull();
  });

  it("escalates answers shorter than minLength", () => {
    const check = { ...DEFAULTS, minLength: 10 };
    expect(escalationReason(answer("Too short"), CHAT, check)).toBe("too_short");
    expect(escalationReason(answer("Long enough"), CHAT, check)).toBeNull();
    expect(escalationReason(answer("Too short"), CHAT, DEFAULTS)).toBeNull();
  });

  it("escalates invalid JSON only when the request asked for JSON", () => {
    expect(escalationReason(answer("{'city': Paris"), JSON_CHAT, DEFAULTS)).toBe("invalid_json");
    const schemaChat = {
      ...CHAT,
      response_format: { type: "json_schema", json_schema: { name: "x" } },
    };
    expect(escalationReason(answer("Sure! {}"), schemaChat, DEFAULTS)).toBe("invalid_json");
    expect(escalationReason(answer("not json"), CHAT, DEFAULTS)).toBeNull();
    expect(
      escalationReason(answer("not json"), JSON_CHAT, { ...DEFAULTS, invalidJson: false }),
    ).toBeNull();
  });

  it("escalates low confidence from logprobs when present, and only when asked", () => {
    const check = { ...DEFAULTS, minConfidence: 0.7 };
    // exp(-0.05) ≈ 0.95, exp(-2) ≈ 0.135
    expect(escalationReason(answer("Paris", logprobs(-0.05, -0.05)), CHAT, check)).toBeNull();
    expect(escalationReason(answer("Paris", logprobs(-2, -2, -0.05)), CHAT, check)).toBe(
      "low_confidence",
    );
    expect(escalationReason(answer("Paris", logprobs(-2, -2)), CHAT, DEFAULTS)).toBeNull();
    // Without logprobs the confidence check cannot apply.
    expect(escalationReason(answer("Paris"), CHAT, check)).toBeNull();
    expect(
      meanTokenProbability({ logprobs: { content: [{ logprob: 0 }, { logprob: Math.log(0.5) }] } }),
    ).toBeCloseTo(0.75);
    expect(meanTokenProbability({ logprobs: null })).toBeNull();
  });
});
