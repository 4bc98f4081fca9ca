import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicAdapter } from "~/providers/anthropic";
import { DEFAULT_MAX_TOKENS, translateRequest } from "~/providers/anthropic/request";
import { upstreamRequest as buildUpstreamRequest } from "~/providers/anthropic/upstream-request";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { ProviderError, type JsonObject, type ProviderConfig } from "~/providers/types";
import {
  anthropicConfig,
  anthropicFixtures,
  call,
  clientBody,
  drain,
  SECRET,
  upstreamRequest,
} from "../fixtures/anthropic/replay";
import { startFixtureServer } from "./fixture-server";

// OpenAI chat requests → Messages API requests, checked on what the fixture server received.

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

const lastReceived = () => server.received.at(-1)!;
const sentBody = () => JSON.parse(lastReceived().body) as JsonObject;

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe("anthropic adapter: requests", () => {
  it("sends the recorded Messages API request for each chat fixture, with Anthropic's headers", async () => {
    const names = [
      "chat-basic",
      "chat-system",
      "chat-images",
      "chat-tools",
      "chat-tool-result",
      "chat-cache-usage",
      "chat-json-schema",
    ];
    for (const name of names) {
      server.serve(name, "json", anthropicFixtures);
      await anthropicAdapter.chat(config, clientBody(name), call(`req-${name}`));
      const got = lastReceived();
      const expected = upstreamRequest(name);
      expect(got.method).toBe("POST");
      expect(got.url).toBe(`/v1${expected.path}`);
      expect(got.headers["x-api-key"]).toBe(SECRET);
      expect(got.headers["anthropic-version"]).toBe("2023-06-01");
      expect(got.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
      expect(got.headers["content-type"]).toBe("application/json");
      expect(got.headers.authorization).toBeUndefined();
      expect(got.headers["x-request-id"]).toBe(`req-${name}`);
      expect({ name, body: JSON.parse(got.body) }).toEqual({ name, body: expected.body });
    }
  });

  it("sends stream requests with stream: true and no OpenAI stream_options", async () => {
    for (const name of ["chat-stream", "chat-tools-stream", "chat-json-schema-stream"]) {
      server.serve(name, "sse", anthropicFixtures);
      const { body } = await anthropicAdapter.chatStream(config, clientBody(name), call());
      await drain(body);
      expect(lastReceived().url).toBe("/v1/messages");
      expect({ name, body: sentBody() }).toEqual({ name, body: upstreamRequest(name).body });
    }
  });

  it("defaults max_tokens when the client sets none, and prefers max_completion_tokens", () => {
    expect(DEFAULT_MAX_TOKENS).toBe(4096);
    expect(upstreamRequest("chat-system").body.max_tokens).toBe(4096);
    const messages = [{ role: "user", content: "hi" }];
    const model = "claude-sonnet-4-5-20250929";
    expect(translateRequest({ model, messages }, false).body.max_tokens).toBe(4096);
    expect(
      translateRequest({ model, messages, max_tokens: 50, max_completion_tokens: 70 }, false).body
        .max_tokens,
    ).toBe(70);
    expect(translateRequest({ model, messages, max_tokens: null }, false).body.max_tokens).toBe(
      4096,
    );
  });

  it("lets the provider's headers override the defaults (anthropic-version)", async () => {
    server.serve("chat-basic", "json", anthropicFixtures);
    const pinned = anthropicConfig(server.baseURL, {
      headers: { "anthropic-version": "2024-01-01" },
    });
    await anthropicAdapter.chat(pinned, clientBody("chat-basic"), call());
    expect(lastReceived().headers["anthropic-version"]).toBe("2024-01-01");
    expect(lastReceived().headers["x-api-key"]).toBe(SECRET);
  });

  it("calls api.anthropic.com/v1 when the config has no base URL", () => {
    const request = buildUpstreamRequest(anthropicConfig(""), "/messages", call(), {});
    expect(request.baseURL).toBe("https://api.anthropic.com/v1");
    expect(request.secret).toBe(SECRET);
  });
});

describe("anthropic adapter: tool settings", () => {
  const model = "claude-sonnet-4-5-20250929";
  const messages = [{ role: "user", content: "Weather in Paris?" }];
  const tools = clientBody("chat-tools").tools;
  const translate = (extra: JsonObject) =>
    translateRequest({ model, messages, tools, ...extra }, false).body;

  it("maps tool_choice and parallel_tool_calls", () => {
    expect(translate({}).tool_choice).toBeUndefined();
    expect(translate({ tool_choice: "auto" }).tool_choice).toEqual({ type: "auto" });
    expect(translate({ tool_choice: "required" }).tool_choice).toEqual({ type: "any" });
    expect(translate({ tool_choice: "none" }).tool_choice).toEqual({ type: "none" });
    expect(
      translate({ tool_choice: { type: "function", function: { name: "get_time" } } }).tool_choice,
    ).toEqual({ type: "tool", name: "get_time" });
    expect(translate({ parallel_tool_calls: false }).tool_choice).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(translate({ tool_choice: "required", parallel_tool_calls: false }).tool_choice).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
    expect(translate({ tool_choice: "none", parallel_tool_calls: false }).tool_choice).toEqual({
      type: "none",
    });
    expect(translate({ parallel_tool_calls: true }).tool_choice).toBeUndefined();
  });

  it("drops a tool_choice without tools", () => {
    const body = translateRequest({ model, messages, tool_choice: "required" }, false).body;
    expect(body.tools).toBeUndefined();
    expect(body.tool_choice).toBeUndefined();
  });

  it("emulates json_object with a forced answer tool taking any object", () => {
    const body = translateRequest(
      { model, messages, response_format: { type: "json_object" } },
      false,
    );
    expect(body.jsonTool).toBe("json_response");
    expect(body.body.tools).toEqual([
      {
        name: "json_response",
        description: expect.stringContaining("its input is the answer") as unknown,
        input_schema: { type: "object" },
      },
    ]);
    expect(body.body.tool_choice).toEqual({
      type: "tool",
      name: "json_response",
      disable_parallel_tool_use: true,
    });
  });

  it("with client tools, json_schema makes the model call a tool (any) and keeps theirs", () => {
    const format = clientBody("chat-json-schema").response_format;
    const request = translateRequest({ model, messages, tools, response_format: format }, false);
    const names = (request.body.tools as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(["get_weather", "get_time", "json_response"]);
    expect(request.body.tool_choice).toEqual({ type: "any" });
    // A client tool with the answer tool's name: the answer tool takes another.
    const clash = [
      ...(tools as JsonObject[]),
      { type: "function", function: { name: "json_response" } },
    ];
    expect(
      translateRequest({ model, messages, tools: clash, response_format: format }, false).jsonTool,
    ).toBe("json_response_2");
  });

  it("does not emulate response_format when the turn must be a tool call anyway", () => {
    const format = { type: "json_object" };
    for (const toolChoice of ["required", { type: "function", function: { name: "get_time" } }]) {
      const request = translateRequest(
        { model, messages, tools, tool_choice: toolChoice, response_format: format },
        false,
      );
      expect(request.jsonTool).toBeNull();
      expect(request.body.tools).toHaveLength(2);
    }
    const text = translateRequest({ model, messages, response_format: { type: "text" } }, false);
    expect(text.jsonTool).toBeNull();
    expect(text.body.tools).toBeUndefined();
  });
});

describe("anthropic adapter: requests Anthropic cannot take", () => {
  const model = "claude-sonnet-4-5-20250929";
  const user = { role: "user", content: "hi" };

  async function refused(body: JsonObject): Promise<ProviderError> {
    const before = server.received.length;
    const err = await rejection(anthropicAdapter.chat(config, body, call()));
    expect(err.status).toBe(400);
    expect(err.isRetryable).toBe(false);
    expect(err.type).toBe("invalid_request_error");
    expect(server.received.length).toBe(before); // refused locally, nothing sent
    return err;
  }

  it("refuses n > 1 clearly", async () => {
    const err = await refused({ model, messages: [user], n: 2 });
    expect(err).toMatchObject({ param: "n", code: "unsupported_parameter" });
    expect(err.message).toMatch(/one choice/);
  });

  it("refuses tool-call arguments that are not JSON (as a 400, not a crash)", async () => {
    const err = await refused({
      model,
      messages: [
        user,
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "toolu_1", type: "function", function: { name: "f", arguments: "{oops" } },
          ],
        },
        { role: "tool", tool_call_id: "toolu_1", content: "ok" },
      ],
    });
    expect(err.param).toBe("messages[1].tool_calls[0].function.arguments");
    expect(err.message).toMatch(/valid JSON/);
    const notObject = await refused({
      model,
      messages: [
        user,
        {
          role: "assistant",
          tool_calls: [
            { id: "toolu_1", type: "function", function: { name: "f", arguments: "[1]" } },
          ],
        },
      ],
    });
    expect(notObject.message).toMatch(/JSON object/);
  });

  it("refuses content Anthropic has no block for", async () => {
    const part = (p: JsonObject) => ({ model, messages: [{ role: "user", content: [p] }] });
    const audio = await refused(
      part({ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }),
    );
    expect(audio.param).toBe("messages[0].content[0].type");
    await refused(part({ type: "image_url", image_url: { url: "data:image/bmp;base64,Qk0=" } }));
    await refused(part({ type: "image_url", image_url: { url: "data:image/png,rawbytes" } }));
    await refused(part({ type: "image_url", image_url: { url: "ftp://example.com/a.png" } }));
    await refused(part({ type: "file", file: { file_id: "file-abc" } }));
    await refused({ model, messages: [{ role: "function", name: "f", content: "x" }] });
    await refused({
      model,
      messages: [
        {
          role: "system",
          content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }],
        },
      ],
    });
  });

  it("sends base64 PDFs as documents and keeps cache_control on parts", () => {
    const body = translateRequest(
      {
        model,
        messages: [
          {
            role: "user",
            content: [
              {
                type: "file",
                file: { filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
              },
              { type: "text", text: "Summarize.", cache_control: { type: "ephemeral" } },
            ],
          },
        ],
      },
      false,
    ).body;
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "document",
            source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
            title: "report.pdf",
          },
          { type: "text", text: "Summarize.", cache_control: { type: "ephemeral" } },
        ],
      },
    ]);
  });

  it("merges consecutive turns and puts tool results first in their user turn", () => {
    const call = (id: string) => ({ id, type: "function", function: { name: "f", arguments: "" } });
    const body = translateRequest(
      {
        model,
        messages: [
          { role: "user", content: "a" },
          { role: "assistant", content: "", tool_calls: [call("t1"), call("t2")] },
          { role: "assistant", content: "more" },
          { role: "tool", tool_call_id: "t1", content: "" },
          { role: "user", content: "b" },
          { role: "tool", tool_call_id: "t2", content: "two" },
        ],
      },
      false,
    ).body;
    expect(body.messages).toEqual([
      { role: "user", content: "a" },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "t1", name: "f", input: {} },
          { type: "tool_use", id: "t2", name: "f", input: {} },
          { type: "text", text: "more" },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1" },
          { type: "tool_result", tool_use_id: "t2", content: "two" },
          { type: "text", text: "b" },
        ],
      },
    ]);
  });
});
