import { describe, expect, it } from "vitest";
import { assembleStream } from "~/gateway/streaming/assemble-stream";
import { mockAdapter } from "~/providers/mock";
import {
  DEFAULT_TIMEOUTS,
  ProviderError,
  type JsonObject,
  type ProviderConfig,
} from "~/providers/types";

const config: ProviderConfig = {
  id: "mock",
  type: "mock",
  baseURL: "mock://",
  timeouts: DEFAULT_TIMEOUTS,
  models: ["mock-gpt"],
};
const call = () => ({ signal: new AbortController().signal, requestId: "r" });
const chat = (extra: JsonObject = {}): JsonObject => ({
  model: "mock-gpt",
  messages: [{ role: "user", content: "echo this back" }],
  ...extra,
});

async function streamText(body: JsonObject): Promise<string> {
  return new Response((await mockAdapter.chatStream(config, body, call())).body).text();
}

describe("mock provider (no network, deterministic)", () => {
  it("echoes the last user message, deterministically, with usage", async () => {
    const a = await mockAdapter.chat(config, chat(), call());
    const b = await mockAdapter.chat(config, chat(), call());
    expect(a.body).toEqual(b.body);
    expect((a.body.choices as { message: { content: string } }[])[0]!.message.content).toBe(
      "echo this back",
    );
    expect(a.usage).toMatchObject({ promptTokens: expect.any(Number), completionTokens: 4 });
    expect(a.finishReason).toBe("stop");
  });

  it("streams the same answer, with a usage chunk only when asked", async () => {
    const whole = await mockAdapter.chat(config, chat({ n: 2 }), call());
    const plain = await streamText(chat({ n: 2, stream: true }));
    expect(plain).not.toContain('"usage"');
    expect(plain.endsWith("data: [DONE]\n\n")).toBe(true);
    const assembled = JSON.parse(assembleStream(plain, false));
    expect(
      assembled.choices.map((c: { message: { content: string } }) => c.message.content),
    ).toEqual(
      (whole.body.choices as { message: { content: string } }[]).map((c) => c.message.content),
    );
    const withUsage = await streamText(
      chat({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(JSON.parse(assembleStream(withUsage, false)).usage.total_tokens).toBeGreaterThan(0);
  });

  it("calls tools with schema-shaped arguments, streamed or not", async () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "a",
          parameters: {
            type: "object",
            properties: { n: { type: "integer" }, s: { type: "string", enum: ["x", "y"] } },
          },
        },
      },
      { type: "function", function: { name: "b", parameters: { type: "object", properties: {} } } },
    ];
    const whole = await mockAdapter.chat(config, chat({ tools }), call());
    const message = (
      whole.body.choices as { message: { tool_calls: { function: unknown }[] } }[]
    )[0]!.message;
    expect(message.tool_calls.map((t) => t.function)).toEqual([
      { name: "a", arguments: '{"n":7,"s":"x"}' },
      { name: "b", arguments: "{}" },
    ]);
    const streamed = JSON.parse(
      assembleStream(await streamText(chat({ tools, stream: true })), false),
    );
    expect(streamed.choices[0].message.tool_calls).toEqual(message.tool_calls);
    const one = await mockAdapter.chat(
      config,
      chat({ tools, tool_choice: { type: "function", function: { name: "b" } } }),
      call(),
    );
    expect(
      (one.body.choices as { message: { tool_calls: unknown[] } }[])[0]!.message.tool_calls,
    ).toHaveLength(1);
  });

  it("embeds deterministically; base64 decodes to the same floats", async () => {
    const floats = await mockAdapter.embed(
      config,
      { model: "mock-embed", input: ["a", "b"], dimensions: 8 },
      call(),
    );
    const again = await mockAdapter.embed(
      config,
      { model: "mock-embed", input: ["a", "b"], dimensions: 8 },
      call(),
    );
    expect(floats.body).toEqual(again.body);
    const b64 = await mockAdapter.embed(
      config,
      { model: "mock-embed", input: "a", dimensions: 8, encoding_format: "base64" },
      call(),
    );
    const bytes = new Uint8Array(
      Buffer.from((b64.body.data as { embedding: string }[])[0]!.embedding, "base64"),
    );
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual(
      (floats.body.data as { embedding: number[] }[])[0]!.embedding,
    );
  });

  it("fails on purpose for the special models, and cleanly on input it cannot handle", async () => {
    await expect(
      mockAdapter.chat(config, chat({ model: "mock-error-500" }), call()),
    ).rejects.toMatchObject({ status: 500 });
    await expect(
      mockAdapter.chat(config, chat({ model: "mock-rate-limit" }), call()),
    ).rejects.toMatchObject({ status: 429, retryAfterMs: 1000 });
    const broken = await streamText(chat({ model: "mock-stream-break", stream: true })).catch(
      (e: unknown) => e,
    );
    expect(broken).toBeInstanceOf(ProviderError);
    let deep: unknown = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    await expect(
      mockAdapter.chat(config, chat({ messages: [{ role: "user", content: deep }] }), call()),
    ).rejects.toMatchObject({ status: 400 });
  });
});
