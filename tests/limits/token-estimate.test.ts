import { beforeAll, describe, expect, it } from "vitest";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  TOKENS_PER_IMAGE,
  TOKENS_PER_LOW_DETAIL_IMAGE,
  estimatePromptTokens,
  estimateRequestTokens,
  loadTokenizer,
  maxOutputTokens,
} from "~/gateway/limits/token-estimate";
import { createRequestEstimate } from "~/gateway/limits/lazy-token-estimate";

const t = (s: string) => countTokens(s);

beforeAll(loadTokenizer);

describe("estimatePromptTokens", () => {
  it("counts chat messages with OpenAI's framing (3 per message, 1 per name, 3 for the reply)", () => {
    const body = {
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", name: "ada", content: "Hello there, how are you?" },
      ],
    };
    const expected =
      3 +
      t("system") +
      t("You are a helpful assistant.") +
      3 +
      t("user") +
      t("Hello there, how are you?") +
      t("ada") +
      1 +
      3;
    expect(estimatePromptTokens(body)).toBe(expected);
    // 3 (framing) + 1 ("user") + 5 (text) + 3 (reply priming)
    expect(
      estimatePromptTokens({ messages: [{ role: "user", content: "Say this is a test" }] }),
    ).toBe(12);
  });

  it("counts text parts, images at a fixed documented amount, tool definitions and tool calls", () => {
    const parts = {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in these images?" },
            { type: "image_url", image_url: { url: "https://example.test/a.png" } },
            { type: "image_url", image_url: { url: "https://example.test/b.png", detail: "low" } },
          ],
        },
      ],
    };
    expect(estimatePromptTokens(parts)).toBe(
      3 +
        t("user") +
        t("What is in these images?") +
        TOKENS_PER_IMAGE +
        TOKENS_PER_LOW_DETAIL_IMAGE +
        3,
    );

    const tool = {
      type: "function",
      function: {
        name: "get_weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
    };
    const withTools = { messages: [{ role: "user", content: "Weather in Paris?" }], tools: [tool] };
    const base = estimatePromptTokens({ messages: withTools.messages });
    expect(estimatePromptTokens(withTools)).toBe(base + 12 + t(JSON.stringify(tool)));

    const call = {
      messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "c1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "18°C" },
      ],
    };
    expect(estimatePromptTokens(call)).toBe(
      3 + t("assistant") + t("get_weather") + t('{"city":"Paris"}') + 3 + t("tool") + t("18°C") + 3,
    );
  });

  it("counts completions prompts and embeddings inputs (strings, arrays, token arrays)", () => {
    expect(estimatePromptTokens({ prompt: "Once upon a time" })).toBe(t("Once upon a time"));
    expect(estimatePromptTokens({ prompt: ["a b", "c d e"] })).toBe(t("a b") + t("c d e"));
    expect(estimatePromptTokens({ prompt: [1, 2, 3] })).toBe(3);
    expect(estimatePromptTokens({ input: "embed me" })).toBe(t("embed me"));
    expect(
      estimatePromptTokens({
        input: [
          [1, 2],
          [3, 4, 5],
        ],
      }),
    ).toBe(5);
    expect(estimatePromptTokens({ input: ["x", "y z"] })).toBe(t("x") + t("y z"));
  });

  it("treats special-token text as text and never throws on malformed bodies", () => {
    // a client's text containing a special token's spelling is text (several tokens), not a control token
    expect(estimatePromptTokens({ prompt: "<|endoftext|>" })).toBe(
      countTokens("<|endoftext|>", { disallowedSpecial: new Set() }),
    );
    expect(estimatePromptTokens({ prompt: "<|endoftext|>" })).toBeGreaterThan(1);
    for (const bad of [
      null,
      42,
      "str",
      [],
      { messages: "nope" },
      { messages: [null, 7, { content: [null, 5] }] },
      { input: { a: 1 } },
    ]) {
      expect(() => estimatePromptTokens(bad)).not.toThrow();
    }
    expect(estimatePromptTokens(null)).toBe(0);
  });

  it("estimates text beyond 64 KB at one token per 3 characters instead of tokenizing it", () => {
    const huge = "lorem ipsum dolor sit amet ".repeat(40_000); // ≈ 1 MB
    const started = performance.now();
    const n = estimatePromptTokens({ prompt: huge });
    expect(performance.now() - started).toBeLessThan(500);
    expect(n).toBeGreaterThan(t(huge.slice(0, 65_536)) + Math.floor((huge.length - 65_536) / 3));
  });
});

describe("maxOutputTokens", () => {
  it("is max_completion_tokens ?? max_tokens ?? the default, times n (or best_of)", () => {
    expect(maxOutputTokens({ messages: [], max_completion_tokens: 100, max_tokens: 50 })).toBe(100);
    expect(maxOutputTokens({ messages: [], max_tokens: 50, n: 3 })).toBe(150);
    expect(maxOutputTokens({ messages: [] })).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
    expect(maxOutputTokens({ prompt: "x", max_tokens: 10, best_of: 4, n: 2 })).toBe(40);
    expect(maxOutputTokens({ input: "x", max_tokens: 10 })).toBe(0);
    expect(maxOutputTokens({ messages: [], max_tokens: -5 })).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
  });

  it("estimateRequestTokens adds both; the lazy estimate tokenizes once", async () => {
    const body = { messages: [{ role: "user", content: "Say this is a test" }], max_tokens: 20 };
    expect(estimateRequestTokens(body)).toBe(32);
    const estimate = createRequestEstimate(body);
    expect(estimate.maxOutputTokens).toBe(20);
    expect(await estimate.totalTokens()).toBe(32);
    expect(await estimate.promptTokens()).toBe(12);
  });
});

describe("estimate speed", () => {
  it("a 4 KB chat prompt costs well under 200 µs of CPU; a repeated one (chat history) far less", () => {
    const sentence =
      "Switchyard routes each request to the cheapest healthy provider, caching answers and counting spend. ";
    const prompt = sentence.repeat(Math.ceil(4096 / sentence.length)).slice(0, 4096);
    const body = (i: number) => ({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: `${i} ${prompt}` },
      ],
    });
    for (let i = 0; i < 300; i++) estimatePromptTokens(body(-i - 1)); // warm up the JIT
    // CPU time, not wall time: the machine is shared, and preemption is not the estimator's cost
    const runs = 500;
    let cpu = process.cpuUsage();
    for (let i = 0; i < runs; i++) estimatePromptTokens(body(i)); // every prompt new: no cache hit
    const uniqueMicros = process.cpuUsage(cpu).user / runs;
    cpu = process.cpuUsage();
    for (let i = 0; i < runs; i++) estimatePromptTokens(body(i)); // the same prompts again
    const repeatedMicros = process.cpuUsage(cpu).user / runs;
    console.info(
      `estimatePromptTokens, 4 KB chat prompt: ${uniqueMicros.toFixed(1)} µs/call new, ${repeatedMicros.toFixed(1)} µs/call repeated`,
    );
    // generous bound for a loaded 2-core machine; the typical figure is ~100 µs
    expect(uniqueMicros).toBeLessThan(400);
    expect(repeatedMicros).toBeLessThan(uniqueMicros / 3);
  });
});
