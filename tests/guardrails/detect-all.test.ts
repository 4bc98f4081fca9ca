import { describe, expect, it } from "vitest";
import {
  BUILT_IN_DETECTORS,
  createSizeDetector,
  detectAll,
  DetectorConfigError,
  extractChatText,
  mergeFindings,
  scanChatRequest,
  type Finding,
} from "~/gateway/guardrails/detectors";

const f = (detector: string, category: Finding["category"], start: number, end: number, confidence: number): Finding => ({
  detector,
  category,
  label: detector.toUpperCase().replace(/\W/g, "_"),
  start,
  end,
  confidence,
});

describe("mergeFindings", () => {
  it("keeps the higher-confidence reading when one category sees the same characters twice", () => {
    const merged = mergeFindings([f("pii.phone", "pii", 5, 20, 0.6), f("pii.credit_card", "pii", 0, 19, 0.95), f("pii.email", "pii", 30, 40, 0.9)]);
    expect(merged.map((m) => m.detector)).toEqual(["pii.credit_card", "pii.email"]);
  });

  it("keeps both across categories and marks the inner one", () => {
    const merged = mergeFindings([f("pii.email", "pii", 10, 30, 0.3), f("secret.connection_string", "secret", 0, 50, 0.95)]);
    expect(merged).toEqual([
      expect.objectContaining({ detector: "secret.connection_string" }),
      expect.objectContaining({ detector: "pii.email", within: "secret.connection_string" }),
    ]);
    expect(merged[0]!.within).toBeUndefined();
  });

  it("does not mark identical or merely overlapping spans as nested", () => {
    const merged = mergeFindings([f("a", "pii", 0, 10, 0.9), f("b", "secret", 0, 10, 0.9), f("c", "toxicity", 5, 15, 0.9)]);
    expect(merged.every((m) => m.within === undefined)).toBe(true);
  });

  it("sorts by start, longest first, and does not mutate its input", () => {
    const input = [f("x", "pii", 20, 25, 0.9), f("y", "secret", 0, 30, 0.9), f("z", "toxicity", 0, 5, 0.9)];
    const merged = mergeFindings(input);
    expect(merged.map((m) => m.detector)).toEqual(["y", "z", "x"]);
    expect(input.every((m) => m.within === undefined)).toBe(true);
  });
});

describe("detectAll", () => {
  it("merges the built-in detectors on real text", () => {
    const text = "DATABASE_URL=postgres://app:S3cretPass@db.example.com:5432/app; call (212) 555-0143";
    const findings = detectAll(text, BUILT_IN_DETECTORS);
    const byDetector = Object.fromEntries(findings.map((x) => [x.detector, text.slice(x.start, x.end)]));
    expect(byDetector["secret.connection_string"]).toBe("postgres://app:S3cretPass@db.example.com:5432/app");
    expect(byDetector["pii.phone"]).toBe("(212) 555-0143");
    const email = findings.find((x) => x.detector === "pii.email");
    expect(email?.within).toBe("secret.connection_string");
    // The generic secret detector's weaker reading of the password is dropped (same category).
    expect(findings.filter((x) => x.category === "secret")).toHaveLength(1);
  });

  it("filters by minConfidence and survives a detector that throws", () => {
    const broken = { id: "broken", category: "custom" as const, detect: (): Finding[] => { throw new Error("boom"); } };
    const text = "mail a@b.co from 10.0.0.1";
    expect(detectAll(text, [broken, ...BUILT_IN_DETECTORS]).length).toBeGreaterThan(0);
    expect(detectAll(text, BUILT_IN_DETECTORS, { minConfidence: 0.99 })).toEqual([]);
  });
});

describe("extractChatText", () => {
  const body = {
    model: "gpt-4o",
    messages: [
      { role: "system", content: "You are helpful." },
      { role: "user", content: [{ type: "text", text: "My email is a@b.co" }, { type: "image_url", image_url: { url: "https://x/y.png" } }, { type: "text", text: "" }] },
      { role: "assistant", content: null, tool_calls: [{ id: "1", type: "function", function: { name: "lookup", arguments: "{\"ssn\":\"401-23-4567\"}" } }] },
      { role: "tool", tool_call_id: "1", content: "card 4111 1111 1111 1111" },
      { role: "assistant", content: [{ type: "refusal", refusal: "I can't." }], function_call: { name: "f", arguments: "{}" } },
    ],
  };

  it("returns every text with where it came from", () => {
    expect(extractChatText(body)).toEqual([
      { text: "You are helpful.", source: { kind: "content", messageIndex: 0, role: "system", path: ["messages", 0, "content"] } },
      { text: "My email is a@b.co", source: { kind: "content_part", messageIndex: 1, role: "user", partIndex: 0, path: ["messages", 1, "content", 0, "text"] } },
      {
        text: "{\"ssn\":\"401-23-4567\"}",
        source: { kind: "tool_call_arguments", messageIndex: 2, role: "assistant", toolCallIndex: 0, path: ["messages", 2, "tool_calls", 0, "function", "arguments"] },
      },
      { text: "card 4111 1111 1111 1111", source: { kind: "content", messageIndex: 3, role: "tool", path: ["messages", 3, "content"] } },
      { text: "I can't.", source: { kind: "content_part", messageIndex: 4, role: "assistant", partIndex: 0, path: ["messages", 4, "content", 0, "refusal"] } },
      { text: "{}", source: { kind: "function_call_arguments", messageIndex: 4, role: "assistant", path: ["messages", 4, "function_call", "arguments"] } },
    ]);
  });

  it("reads what it can from malformed bodies and never throws", () => {
    for (const bad of [null, 42, "x", [], {}, { messages: "x" }, { messages: [null, 1, "s", { content: 5 }, { content: [null, 3, { text: 4 }] }, { tool_calls: [null, { function: 3 }] }] }]) {
      expect(extractChatText(bad)).toEqual([]);
    }
    expect(extractChatText({ messages: [{ content: "no role" }] })).toEqual([
      { text: "no role", source: { kind: "content", messageIndex: 0, role: "", path: ["messages", 0, "content"] } },
    ]);
  });

  it("maps findings back to their segment with segment-local offsets", () => {
    const scan = scanChatRequest(body, BUILT_IN_DETECTORS, { minConfidence: 0.5 });
    const located = scan.findings.map((x) => {
      const segment = scan.segments[x.segment]!;
      return [x.label, segment.source.path.join("."), segment.text.slice(x.start, x.end)];
    });
    expect(located).toEqual([
      ["EMAIL", "messages.1.content.0.text", "a@b.co"],
      ["SSN", "messages.2.tool_calls.0.function.arguments", "401-23-4567"],
      ["CREDIT_CARD", "messages.3.content", "4111 1111 1111 1111"],
    ]);
  });
});

describe("createSizeDetector", () => {
  it("reports the part of a text beyond maxChars", () => {
    const d = createSizeDetector({ maxChars: 10 });
    expect(d.detect("short")).toEqual([]);
    expect(d.detect("0123456789abcde")).toEqual([
      { detector: "size.limit", category: "size", label: "MAX_CHARS_EXCEEDED", start: 10, end: 15, confidence: 1, score: 0.333 },
    ]);
  });

  it("counts messages and characters of a whole chat request", () => {
    const d = createSizeDetector({ id: "size.chat", maxChars: 20, maxMessages: 2 });
    const body = { messages: [{ role: "user", content: "0123456789" }, { role: "assistant", content: "0123456789" }, { role: "user", content: "01234" }] };
    expect(d.detectRequest(body).map((x) => [x.label, x.start, x.end, x.score])).toEqual([
      ["MAX_MESSAGES_EXCEEDED", 0, 0, 0.333],
      ["MAX_CHARS_EXCEEDED", 0, 0, 0.2],
    ]);
    expect(d.detectRequest({ messages: [{ role: "user", content: "hi" }] })).toEqual([]);
    expect(d.detectRequest("not a body")).toEqual([]);
  });

  it("refuses unusable limits", () => {
    expect(() => createSizeDetector({})).toThrow(DetectorConfigError);
    expect(() => createSizeDetector({ maxChars: 0 })).toThrow(/positive integer/);
    expect(() => createSizeDetector({ maxMessages: 1.5 })).toThrow(/positive integer/);
  });
});
