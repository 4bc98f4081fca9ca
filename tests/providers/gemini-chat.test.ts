import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { geminiAdapter } from "~/providers/gemini";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import {
  DEFAULT_TIMEOUTS,
  ProviderError,
  type JsonObject,
  type ProviderConfig,
} from "~/providers/types";
import { fixtureReader, openAIJson, startFixtureServer } from "./fixture-server";

// Replays Gemini exchanges (tests/fixtures/gemini) through the gemini adapter: what it sends
// upstream (`<name>.upstream.json`), what it makes of Google's answers, and of Google's errors.

const KEY = "AIzaSyFixture-gemini-key-0123456789abcdef";
const SIGNATURE = "CiQB0e2Kb7Q4n8m0vVt3cYt3y8oW3Y8f0G3lJm0h3bYbq2dPj1ASdQHR7YpvTt9sA1u0";
const fixtures = fixtureReader("gemini");
let server: Awaited<ReturnType<typeof startFixtureServer>>;
let config: ProviderConfig;

beforeAll(async () => {
  server = await startFixtureServer();
  config = {
    id: "gemini",
    type: "gemini",
    baseURL: `http://127.0.0.1:${server.port}/v1beta`,
    apiKey: KEY,
    headers: { "x-goog-user-project": "fixture-project" },
    timeouts: DEFAULT_TIMEOUTS,
    models: [],
  };
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

const call = (requestId = "req-gemini") => ({ signal: new AbortController().signal, requestId });
const lastReceived = () => server.received.at(-1)!;
const sentBody = () => JSON.parse(lastReceived().body) as JsonObject;

function readFixture<T = JsonObject>(file: string): T {
  return JSON.parse(readFileSync(path.join(fixtures.dir, file), "utf8")) as T;
}

/** Sends fixture `name`'s OpenAI request (or `body`), answered with fixture `answer`. */
async function chat(name: string, answer = name, body?: JsonObject) {
  server.serve(answer, "json", fixtures);
  return geminiAdapter.chat(config, body ?? fixtures.readRequest(name).body, call(`req-${name}`));
}

/** An answer with its clock-dependent field fixed. */
const withoutClock = (body: JsonObject) => ({ ...body, created: 0 });

const userOnly = { model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] };

describe("gemini adapter: what goes upstream", () => {
  it.each([
    "chat-basic",
    "chat-system-image",
    "chat-tools",
    "chat-tool-result",
    "chat-json-schema",
  ])("translates %s", async (name) => {
    await chat(name);
    const upstream = readFixture<{ path: string; body: JsonObject }>(`${name}.upstream.json`);
    expect(lastReceived().method).toBe("POST");
    expect(lastReceived().url).toBe(upstream.path);
    expect(sentBody()).toEqual(upstream.body);
  });

  it("authenticates with x-goog-api-key only (never in the URL) and keeps the provider's headers", async () => {
    await chat("chat-basic");
    const got = lastReceived();
    expect(got.headers["x-goog-api-key"]).toBe(KEY);
    expect(got.headers.authorization).toBeUndefined();
    expect(got.url).not.toContain(KEY);
    expect(got.url).not.toContain("key=");
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["x-goog-user-project"]).toBe("fixture-project");
    expect(got.headers["x-request-id"]).toBe("req-chat-basic");
  });

  it("maps reasoning_effort to a thinking budget on Gemini 2.5 and a thinking level on Gemini 3", async () => {
    await chat("chat-thinking-cached");
    expect(sentBody().generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 24576 } });
    await chat("chat-basic", "chat-basic", {
      ...userOnly,
      model: "gemini-3-pro-preview",
      reasoning_effort: "low",
    });
    expect(sentBody().generationConfig).toEqual({ thinkingConfig: { thinkingLevel: "low" } });
    await chat("chat-basic", "chat-basic", {
      ...userOnly,
      model: "gemini-2.0-flash",
      reasoning_effort: "low",
    });
    expect(sentBody().generationConfig).toBeUndefined();
  });

  it("maps logprobs, json_object and the forced/none tool choices", async () => {
    await chat("chat-basic", "chat-basic", {
      ...userOnly,
      logprobs: true,
      top_logprobs: 3,
      response_format: { type: "json_object" },
    });
    expect(sentBody().generationConfig).toEqual({
      responseLogprobs: true,
      logprobs: 3,
      responseMimeType: "application/json",
    });
    const tools = fixtures.readRequest("chat-tools").body;
    await chat("chat-basic", "chat-basic", {
      ...tools,
      tool_choice: { type: "function", function: { name: "get_time" } },
    });
    expect(sentBody().toolConfig).toEqual({
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["get_time"] },
    });
    await chat("chat-basic", "chat-basic", { ...tools, tool_choice: "none" });
    expect(sentBody().toolConfig).toEqual({ functionCallingConfig: { mode: "NONE" } });
  });

  it("puts the placeholder thought signature only where a Gemini 3 model needs one", async () => {
    const body = fixtures.readRequest("chat-tool-result").body;
    const signatures = () =>
      (sentBody().contents as { parts: JsonObject[] }[])
        .flatMap((c) => c.parts)
        .map((p) => p.thoughtSignature)
        .filter((s) => s !== undefined);
    await chat("chat-tool-result");
    expect(signatures()).toEqual([SIGNATURE, "skip_thought_signature_validator"]);
    await chat("chat-tool-result", "chat-tool-result", { ...body, model: "gemini-2.5-flash" });
    expect(lastReceived().url).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(signatures()).toEqual([SIGNATURE]);
  });

  it("refuses what it cannot translate with a 400, without calling upstream", async () => {
    const before = server.received.length;
    const cases: [JsonObject, string][] = [
      [{ ...userOnly, messages: [] }, "messages"],
      [
        { ...userOnly, messages: [{ role: "tool", tool_call_id: "call_9", content: "x" }] },
        "messages[0].tool_call_id",
      ],
      [
        {
          ...userOnly,
          messages: [
            { role: "user", content: [{ type: "image_url", image_url: { url: "ftp://h/a.png" } }] },
          ],
        },
        "messages[0].content[0]",
      ],
      [{ ...userOnly, tools: [{ type: "web_search" }] }, "tools[0]"],
      [{ ...userOnly, response_format: { type: "xml" } }, "response_format"],
      [{ messages: userOnly.messages }, "model"],
    ];
    for (const [body, param] of cases) {
      const err = await geminiAdapter.chat(config, body, call()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ status: 400, param, isRetryable: false });
    }
    expect(server.received.length).toBe(before);
  });
});

describe("gemini adapter: answers", () => {
  it("turns a basic answer into a chat.completion with usage", async () => {
    const result = await chat("chat-basic");
    expect(withoutClock(result.body)).toEqual(readFixture("chat-basic.expected.json"));
    expect(result.body.created).toBeGreaterThan(1_700_000_000);
    expect(result).toMatchObject({
      finishReason: "stop",
      rawFinishReason: "STOP",
      usage: { promptTokens: 8, completionTokens: 12, totalTokens: 20 },
    });
  });

  it("returns one choice per candidate (n = 2)", async () => {
    const result = await chat("chat-system-image");
    const choices = result.body.choices as JsonObject[];
    expect(choices.map((c) => c.index)).toEqual([0, 1]);
    expect(choices.map((c) => (c.message as JsonObject).content)).toEqual([
      "The first is a single grey pixel; the second is a cat.",
      "A lone pixel faces a photographed cat.",
    ]);
  });

  it("turns parallel function calls into tool_calls with stable ids and the thought signature", async () => {
    const result = await chat("chat-tools");
    expect(withoutClock(result.body)).toEqual(readFixture("chat-tools.expected.json"));
    expect(result).toMatchObject({
      finishReason: "tool_calls",
      rawFinishReason: "STOP",
      usage: { promptTokens: 95, completionTokens: 150, totalTokens: 245, reasoningTokens: 120 },
    });
  });

  it("keeps Gemini's own function call id when it sends one", async () => {
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        openAIJson({
          candidates: [
            {
              content: {
                role: "model",
                parts: [
                  { functionCall: { id: "fc-77", name: "get_time", args: { city: "Oslo" } } },
                ],
              },
              finishReason: "STOP",
            },
          ],
        }),
      );
    });
    const result = await geminiAdapter.chat(
      config,
      fixtures.readRequest("chat-tools").body,
      call(),
    );
    const message = (result.body.choices as { message: JsonObject }[])[0]!.message;
    expect(message.tool_calls).toEqual([
      {
        id: "fc-77",
        type: "function",
        function: { name: "get_time", arguments: '{"city":"Oslo"}' },
      },
    ]);
    expect(result.usage).toBeNull();
  });

  it("returns json_schema answers as text content", async () => {
    const result = await chat("chat-json-schema");
    const content = (result.body.choices as { message: { content: string } }[])[0]!.message.content;
    expect(JSON.parse(content)).toEqual({
      name: "Quick pancakes",
      minutes: 15,
      ingredients: ["flour", "milk", "egg"],
      difficulty: "easy",
    });
  });

  it("answers a prompt blocked by safety with empty content and content_filter", async () => {
    const result = await chat("chat-basic", "chat-prompt-blocked");
    expect(result.body.choices).toEqual([
      {
        index: 0,
        message: { role: "assistant", content: "", refusal: null },
        logprobs: null,
        finish_reason: "content_filter",
      },
    ]);
    expect(result).toMatchObject({
      finishReason: "content_filter",
      rawFinishReason: "SAFETY",
      usage: { promptTokens: 14, completionTokens: 0, totalTokens: 14 },
    });
  });

  it("answers a candidate stopped by safety with content_filter", async () => {
    const result = await chat("chat-basic", "chat-candidate-safety");
    expect((result.body.choices as JsonObject[])[0]).toMatchObject({
      message: { content: "" },
      finish_reason: "content_filter",
    });
    expect(result.finishReason).toBe("content_filter");
    expect(result.rawFinishReason).toBe("SAFETY");
  });

  it("counts thoughts as completion and reasoning tokens, and cached content as cached tokens", async () => {
    const result = await chat("chat-thinking-cached");
    expect(result.usage).toEqual({
      promptTokens: 5210,
      completionTokens: 1410,
      totalTokens: 6620,
      cachedReadTokens: 4096,
      reasoningTokens: 1100,
    });
    expect(result.body.usage).toEqual({
      prompt_tokens: 5210,
      completion_tokens: 1410,
      total_tokens: 6620,
      prompt_tokens_details: { cached_tokens: 4096 },
      completion_tokens_details: { reasoning_tokens: 1100 },
    });
    const message = (result.body.choices as { message: JsonObject }[])[0]!.message;
    // The thought summary is not part of the answer.
    expect(message.content).toBe("Use a B-tree index on the order date column.");
    expect(message.reasoning_content).toMatch(/^\*\*Comparing index types\*\*/);
  });

  it("translates logprobs", async () => {
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        openAIJson({
          candidates: [
            {
              content: { role: "model", parts: [{ text: "Hi!" }] },
              finishReason: "STOP",
              logprobsResult: {
                topCandidates: [
                  {
                    candidates: [
                      { token: "Hi", logProbability: -0.1 },
                      { token: "Hello", logProbability: -2.5 },
                    ],
                  },
                  { candidates: [{ token: "!", logProbability: -0.01 }] },
                ],
                chosenCandidates: [
                  { token: "Hi", logProbability: -0.1 },
                  { token: "!", logProbability: -0.01 },
                ],
              },
            },
          ],
        }),
      );
    });
    const result = await geminiAdapter.chat(config, userOnly, call());
    expect((result.body.choices as JsonObject[])[0]!.logprobs).toEqual({
      content: [
        {
          token: "Hi",
          logprob: -0.1,
          bytes: [72, 105],
          top_logprobs: [
            { token: "Hi", logprob: -0.1, bytes: [72, 105] },
            { token: "Hello", logprob: -2.5, bytes: [72, 101, 108, 108, 111] },
          ],
        },
        {
          token: "!",
          logprob: -0.01,
          bytes: [33],
          top_logprobs: [{ token: "!", logprob: -0.01, bytes: [33] }],
        },
      ],
      refusal: null,
    });
  });

  it("maps MAX_TOKENS to length and keeps unknown reasons raw", async () => {
    for (const [raw, unified, wire] of [
      ["MAX_TOKENS", "length", "length"],
      ["MALFORMED_FUNCTION_CALL", "error", "stop"],
      ["LANGUAGE", "other", "stop"],
      ["PROHIBITED_CONTENT", "content_filter", "content_filter"],
    ] as const) {
      server.set((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ candidates: [{ finishReason: raw, index: 0 }] }));
      });
      const result = await geminiAdapter.chat(config, userOnly, call());
      expect(result).toMatchObject({ finishReason: unified, rawFinishReason: raw });
      expect((result.body.choices as JsonObject[])[0]!.finish_reason).toBe(wire);
    }
  });

  it("reports a 200 that is not a Gemini answer as a protocol failure", async () => {
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>captive portal</html>");
    });
    await expect(geminiAdapter.chat(config, userOnly, call())).rejects.toMatchObject({
      status: 502,
      kind: "protocol",
    });
  });
});

describe("gemini adapter: errors", () => {
  async function failure(name: string): Promise<ProviderError> {
    const fixture = fixtures.readResponse(name);
    server.set((_req, res) => {
      res.writeHead(fixture.status, fixture.headers);
      res.end(openAIJson(fixture.body).replaceAll("@KEY@", KEY));
    });
    const err = await geminiAdapter.chat(config, userOnly, call()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }

  it("400 INVALID_ARGUMENT keeps Google's message and names the field", async () => {
    const err = await failure("error-400");
    expect(err).toMatchObject({
      status: 400,
      kind: "http",
      code: "INVALID_ARGUMENT",
      type: "invalid_request_error",
      param: "generation_config.max_output_tokens",
      isRetryable: false,
    });
    expect(err.message).toMatch(/max_output_tokens must be positive/);
  });

  it("an invalid API key (Google's 400) becomes a 401", async () => {
    const err = await failure("error-400-api-key");
    expect(err).toMatchObject({ status: 401, type: "authentication_error", isRetryable: false });
    expect(err.message).toBe("API key not valid. Please pass a valid API key.");
  });

  it("403 PERMISSION_DENIED never keeps the key Google echoes", async () => {
    const err = await failure("error-403");
    expect(err).toMatchObject({ status: 403, code: "PERMISSION_DENIED", type: "permission_error" });
    expect(err.message).not.toContain(KEY);
    expect(err.message).toContain("***");
    expect(JSON.stringify(err.raw)).not.toContain(KEY);
  });

  it("404 NOT_FOUND", async () => {
    expect(await failure("error-404")).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      type: "not_found_error",
      isRetryable: false,
    });
  });

  it("429 RESOURCE_EXHAUSTED is retryable after RetryInfo's delay, or Retry-After", async () => {
    expect(await failure("error-429")).toMatchObject({
      status: 429,
      code: "RESOURCE_EXHAUSTED",
      type: "rate_limit_error",
      isRetryable: true,
      retryAfterMs: 37_000,
    });
    expect(await failure("error-429-retry-after")).toMatchObject({
      status: 429,
      isRetryable: true,
      retryAfterMs: 5_000,
    });
  });

  it("500 INTERNAL and 503 UNAVAILABLE are retryable", async () => {
    expect(await failure("error-500")).toMatchObject({
      status: 500,
      code: "INTERNAL",
      isRetryable: true,
    });
    const unavailable = await failure("error-503");
    expect(unavailable).toMatchObject({ status: 503, code: "UNAVAILABLE", isRetryable: true });
    expect(unavailable.message).toBe("The model is overloaded. Please try again later.");
  });

  it("reads Google's array-wrapped error bodies too", async () => {
    server.set((_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(
        JSON.stringify([{ error: { code: 503, message: "Overloaded.", status: "UNAVAILABLE" } }]),
      );
    });
    const err = await geminiAdapter.chat(config, userOnly, call()).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, code: "UNAVAILABLE", message: "Overloaded." });
  });
});
