import { describe, expect, it } from "vitest";
import { canonicalJson } from "~/gateway/cache/canonical-json";
import { cacheKey } from "~/gateway/cache/cache-key";
import { chatBody } from "./helpers";

const key = (
  body: Record<string, unknown>,
  org = "org_a",
  endpoint: "chat.completions" | "embeddings" = "chat.completions",
) => cacheKey(org, endpoint, body);

describe("canonicalJson", () => {
  it("sorts object keys at every depth and drops undefined members like JSON.stringify", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: null }], c: "s" } })).toBe(
      '{"a":{"c":"s","d":[1,{"x":null,"z":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, Number.NaN, "é\n"])).toBe('[null,null,"é\\n"]');
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${(i * 7) % 40}`, i]));
    expect(Object.keys(JSON.parse(canonicalJson(many)) as object)).toEqual(
      Object.keys(many).sort(),
    );
  });

  it("refuses a value nested beyond any real request instead of exhausting the stack", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/nested too deeply/);
  });
});

describe("cacheKey", () => {
  it("is the same for the same request, whatever the key order or whitespace of the body", () => {
    const a = chatBody();
    const b = JSON.parse(
      JSON.stringify({ messages: a.messages, temperature: 0, model: "gpt-4o-mini" }),
    ) as Record<string, unknown>;
    expect(key(a)).toBe(key(b));
    expect(key(a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("differs per org and per endpoint for the same body", () => {
    expect(key(chatBody(), "org_a")).not.toBe(key(chatBody(), "org_b"));
    expect(key({ model: "m", input: "x" }, "org_a", "embeddings")).not.toBe(
      key({ model: "m", input: "x" }, "org_a", "chat.completions"),
    );
  });

  it("changes with every field that shapes the answer", () => {
    const base = key(chatBody());
    const variants: Record<string, unknown>[] = [
      { temperature: 0.2 },
      { temperature: undefined },
      { model: "gpt-4o" },
      { messages: [{ role: "user", content: "What is the capital of Spain?" }] },
      {
        tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
      },
      { tool_choice: "required" },
      { response_format: { type: "json_object" } },
      { top_p: 0.5 },
      { n: 2 },
      { seed: 7 },
      { stop: ["\n"] },
      { max_tokens: 10 },
      { max_completion_tokens: 10 },
      { presence_penalty: 1 },
      { frequency_penalty: 1 },
      { logit_bias: { "50256": -100 } },
      { logprobs: true },
      { top_logprobs: 2 },
      { parallel_tool_calls: false },
      { reasoning_effort: "low" },
      { some_future_parameter: true },
    ];
    const keys = variants.map((v) => key(chatBody(v)));
    for (const k of keys) expect(k).not.toBe(base);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("ignores who asks and how the answer travels: user, metadata, stream, stream_options, store, service_tier", () => {
    const base = key(chatBody());
    expect(
      key(
        chatBody({
          user: "alice",
          metadata: { team: "a" },
          stream: true,
          stream_options: { include_usage: true },
          store: true,
          service_tier: "flex",
          safety_identifier: "h-1",
          prompt_cache_key: "p",
        }),
      ),
    ).toBe(base);
  });

  it("keys embeddings requests by model, input, dimensions and encoding format", () => {
    const base = { model: "text-embedding-3-small", input: ["a", "b"] };
    const k = key(base, "org_a", "embeddings");
    expect(key({ ...base, user: "u" }, "org_a", "embeddings")).toBe(k);
    expect(key({ ...base, input: ["b", "a"] }, "org_a", "embeddings")).not.toBe(k);
    expect(key({ ...base, dimensions: 256 }, "org_a", "embeddings")).not.toBe(k);
    expect(key({ ...base, encoding_format: "base64" }, "org_a", "embeddings")).not.toBe(k);
  });

  it("keeps a __proto__ member of the body as an ordinary field", () => {
    const withProto = JSON.parse('{"model":"m","__proto__":{"temperature":1}}') as Record<
      string,
      unknown
    >;
    expect(key(withProto)).not.toBe(key({ model: "m" }));
  });

  it("hashes a 4 KB request quickly (well under 100 µs on a quiet machine)", () => {
    const body = chatBody({
      messages: [
        { role: "system", content: "You are a helpful support agent for Acme. ".repeat(27) },
        { role: "user", content: "My order #12345 arrived damaged, what can I do? ".repeat(27) },
        { role: "assistant", content: "I am sorry to hear that. ".repeat(35) },
        { role: "user", content: "Please refund me. ".repeat(30) },
      ],
    });
    expect(JSON.stringify(body).length).toBeGreaterThan(4000);
    for (let i = 0; i < 200; i++) key(body); // warm up
    const samples: number[] = [];
    for (let round = 0; round < 21; round++) {
      const start = performance.now();
      for (let i = 0; i < 100; i++) key(body);
      samples.push(((performance.now() - start) / 100) * 1000);
    }
    samples.sort((a, b) => a - b);
    // The median of 21 rounds; the bound is loose because the test shares the CPU with others.
    expect(samples[10]).toBeLessThan(500);
  });
});
