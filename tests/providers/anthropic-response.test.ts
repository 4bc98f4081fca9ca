import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicAdapter } from "~/providers/anthropic";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { ProviderError, type JsonObject, type ProviderConfig } from "~/providers/types";
import {
  anthropicConfig,
  anthropicFixtures,
  call,
  clientBody,
  expectedAnswer,
} from "../fixtures/anthropic/replay";
import { startFixtureServer } from "./fixture-server";

// Messages API answers → OpenAI chat.completion objects, unified usage and finish reasons.

let server: Awaited<ReturnType<typeof startFixtureServer>>;
let config: ProviderConfig;

beforeAll(async () => {
  server = await startFixtureServer();
  config = anthropicConfig(server.baseURL);
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

/** Serves `body` as a 200 JSON answer. */
function answer(body: unknown) {
  server.set((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
}

const anthropicMessage = () => anthropicFixtures.readResponse("chat-basic").body as JsonObject;

describe("anthropic adapter: answers", () => {
  it("translates each recorded answer into the expected chat.completion", async () => {
    for (const [name, finish, raw] of [
      ["chat-basic", "stop", "end_turn"],
      ["chat-system", "stop", "end_turn"],
      ["chat-images", "stop", "end_turn"],
      ["chat-tools", "tool_calls", "tool_use"],
      ["chat-tool-result", "stop", "end_turn"],
      ["chat-cache-usage", "stop", "end_turn"],
      ["chat-json-schema", "stop", "tool_use"],
    ] as const) {
      server.serve(name, "json", anthropicFixtures);
      const before = Math.floor(Date.now() / 1000);
      const result = await anthropicAdapter.chat(config, clientBody(name), call());
      const created = result.body.created as number;
      expect(created).toBeGreaterThanOrEqual(before);
      expect(created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
      expect({ name, body: { ...result.body, created: 0 } }).toEqual({
        name,
        body: expectedAnswer(name),
      });
      expect(result.finishReason).toBe(finish);
      expect(result.rawFinishReason).toBe(raw);
    }
  });

  it("derives the id from the message id and reports the upstream model", async () => {
    server.serve("chat-basic", "json", anthropicFixtures);
    const { body } = await anthropicAdapter.chat(config, clientBody("chat-basic"), call());
    expect(body.id).toBe("chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL");
    expect(body.model).toBe("claude-sonnet-4-5-20250929");
    expect(body.object).toBe("chat.completion");
  });

  it("returns tool_use blocks as tool_calls with JSON-encoded arguments", async () => {
    server.serve("chat-tools", "json", anthropicFixtures);
    const { body } = await anthropicAdapter.chat(config, clientBody("chat-tools"), call());
    const message = (body.choices as { message: JsonObject }[])[0]!.message;
    expect(message.tool_calls).toEqual([
      {
        id: "toolu_01A09q90qw90lq917835lq9",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris","unit":"c"}' },
      },
      {
        id: "toolu_01B8p2Zk4sM3d9TqVvJxYw7E",
        type: "function",
        function: { name: "get_time", arguments: '{"tz":"Europe/Paris"}' },
      },
    ]);
    // Text-less tool calls have null content, as in OpenAI's answers.
    answer({
      ...anthropicMessage(),
      content: [{ type: "tool_use", id: "t", name: "f", input: {} }],
      stop_reason: "tool_use",
    });
    const bare = await anthropicAdapter.chat(config, clientBody("chat-tools"), call());
    const bareMessage = (bare.body.choices as { message: JsonObject }[])[0]!.message;
    expect(bareMessage.content).toBeNull();
    expect(bareMessage.tool_calls).toEqual([
      { id: "t", type: "function", function: { name: "f", arguments: "{}" } },
    ]);
  });

  it("counts cache reads and writes: prompt includes them, as in OpenAI's usage", async () => {
    server.serve("chat-cache-usage", "json", anthropicFixtures);
    const result = await anthropicAdapter.chat(config, clientBody("chat-cache-usage"), call());
    // input 21 + cache write 512 + cache read 2048
    expect(result.usage).toEqual({
      promptTokens: 2581,
      completionTokens: 393,
      totalTokens: 2974,
      cachedReadTokens: 2048,
      cachedWriteTokens: 512,
    });
    expect(result.body.usage).toEqual({
      prompt_tokens: 2581,
      completion_tokens: 393,
      total_tokens: 2974,
      prompt_tokens_details: { cached_tokens: 2048 },
    });
    server.serve("chat-basic", "json", anthropicFixtures);
    const plain = await anthropicAdapter.chat(config, clientBody("chat-basic"), call());
    expect(plain.usage).toEqual({ promptTokens: 10, completionTokens: 12, totalTokens: 22 });
  });

  it("maps every stop reason, keeping the raw one", async () => {
    const cases: [string, string, string][] = [
      ["end_turn", "stop", "stop"],
      ["stop_sequence", "stop", "stop"],
      ["max_tokens", "length", "length"],
      ["model_context_window_exceeded", "length", "length"],
      ["tool_use", "tool_calls", "tool_calls"],
      ["refusal", "content_filter", "content_filter"],
      ["pause_turn", "other", "pause_turn"],
      ["something_new", "other", "something_new"],
    ];
    for (const [raw, unified, wire] of cases) {
      answer({ ...anthropicMessage(), stop_reason: raw });
      const result = await anthropicAdapter.chat(config, clientBody("chat-basic"), call());
      expect({
        raw,
        unified: result.finishReason,
        rawFinishReason: result.rawFinishReason,
      }).toEqual({
        raw,
        unified,
        rawFinishReason: raw,
      });
      expect((result.body.choices as { finish_reason: string }[])[0]!.finish_reason).toBe(wire);
    }
  });

  it("returns the json_schema answer tool's input as content, never as a tool call", async () => {
    server.serve("chat-json-schema", "json", anthropicFixtures);
    const result = await anthropicAdapter.chat(config, clientBody("chat-json-schema"), call());
    const message = (result.body.choices as { message: JsonObject }[])[0]!.message;
    expect(JSON.parse(message.content as string)).toEqual({ city: "Paris", temperature_c: 18 });
    expect(message.tool_calls).toBeUndefined();
    expect(result.finishReason).toBe("stop");
    // Without the emulation (no response_format), the same block is an ordinary tool call.
    const plain = await anthropicAdapter.chat(config, clientBody("chat-basic"), call());
    expect(plain.finishReason).toBe("tool_calls");
  });

  it("leaves out blocks OpenAI has no place for (thinking)", async () => {
    answer({
      ...anthropicMessage(),
      content: [
        { type: "thinking", thinking: "Let me think.", signature: "sig" },
        { type: "redacted_thinking", data: "xyz" },
        { type: "text", text: "Hello" },
        { type: "text", text: " there" },
      ],
    });
    const result = await anthropicAdapter.chat(config, clientBody("chat-basic"), call());
    const message = (result.body.choices as { message: JsonObject }[])[0]!.message;
    expect(message).toEqual({ role: "assistant", content: "Hello there", refusal: null });
  });

  it("reports a 2xx answer that is not a message as a protocol error", async () => {
    for (const text of ["<html>oops</html>", '{"type":"message"}']) {
      server.set((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(text);
      });
      const err = await anthropicAdapter
        .chat(config, clientBody("chat-basic"), call())
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ status: 502, kind: "protocol" });
    }
  });
});

describe("anthropic adapter: models and embeddings", () => {
  it("lists models from GET /models, following pages", async () => {
    server.set((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const page2 = req.url.includes("after_id=claude-3-5-haiku-20241022");
      res.end(
        JSON.stringify(
          page2
            ? {
                data: [{ type: "model", id: "claude-3-haiku-20240307" }],
                has_more: false,
                last_id: "claude-3-haiku-20240307",
              }
            : {
                data: [
                  {
                    type: "model",
                    id: "claude-sonnet-4-5-20250929",
                    display_name: "Claude Sonnet 4.5",
                  },
                  { type: "model", id: "claude-3-5-haiku-20241022" },
                ],
                has_more: true,
                first_id: "claude-sonnet-4-5-20250929",
                last_id: "claude-3-5-haiku-20241022",
              },
        ),
      );
    });
    const before = server.received.length;
    expect(await anthropicAdapter.listModels(config, call())).toEqual([
      { id: "claude-sonnet-4-5-20250929" },
      { id: "claude-3-5-haiku-20241022" },
      { id: "claude-3-haiku-20240307" },
    ]);
    const requests = server.received.slice(before);
    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ["GET", "/v1/models?limit=1000"],
      ["GET", "/v1/models?limit=1000&after_id=claude-3-5-haiku-20241022"],
    ]);
    expect(requests[0]!.headers["x-api-key"]).toBe(config.apiKey);
  });

  it("has no embeddings: a clear, non-retryable 400 without calling upstream", async () => {
    const before = server.received.length;
    const err = await anthropicAdapter
      .embed(config, { model: "claude-sonnet-4-5-20250929", input: "x" }, call())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 400, isRetryable: false });
    expect((err as Error).message).toMatch(/no embeddings API/);
    expect(server.received.length).toBe(before);
    expect(anthropicAdapter.completions).toBeUndefined();
  });
});
