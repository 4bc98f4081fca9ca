import { describe, expect, it } from "vitest";
import { ProviderError, type ProviderAdapter } from "~/providers/types";
import { errorOf } from "./fakes";
import { llmGateway, provider, spyAdapters, sseData } from "./llm-fakes";

const MESSAGES = [{ role: "user", content: "Hello gateway" }];

describe("request ids", () => {
  it("gives every log entry an id of its own: a client reusing its x-request-id loses no entry", async () => {
    const g = llmGateway([provider("mock", ["mock-gpt"])]);
    for (let i = 0; i < 2; i++) {
      const res = await g.post("/v1/chat/completions", { model: "mock-gpt", messages: MESSAGES }, { "x-request-id": "same-id" });
      expect(res.headers.get("x-request-id")).toBe("same-id");
      await res.text();
    }
    const fresh = await g.post("/v1/chat/completions", { model: "mock-gpt", messages: MESSAGES });
    const assigned = fresh.headers.get("x-request-id")!;
    await fresh.text();
    expect(g.recorded.map((e) => e.clientRequestId)).toEqual(["same-id", "same-id", null]);
    const ids = g.recorded.map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids.slice(0, 2).every((id) => /^req_[0-9a-f-]{36}$/.test(id))).toBe(true);
    // Without a client id, the row id is the id the client was given.
    expect(ids[2]).toBe(assigned);
  });
});

describe("POST /v1/chat/completions (non-stream)", () => {
  it("answers in OpenAI's shape and records one log entry with usage, timings and bodies", async () => {
    const g = llmGateway([provider("mock", ["mock-gpt"])]);
    const res = await g.post(
      "/v1/chat/completions",
      { model: "mock-gpt", messages: MESSAGES, user: "u-1" },
      {
        "x-request-id": "chat-1",
        "x-switchyard-metadata": JSON.stringify({ team: "search" }),
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("chat-1");
    const body = await res.json();
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "mock-gpt",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello gateway" },
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
    });
    expect(g.recorded).toHaveLength(1);
    const entry = g.recorded[0]!;
    expect(entry).toMatchObject({
      clientRequestId: "chat-1",
      orgId: "org_a",
      apiKeyId: "key_1",
      endpoint: "chat.completions",
      endUser: "u-1",
      metadata: { team: "search" },
      requestedModel: "mock-gpt",
      servedModel: "mock-gpt",
      providerId: "mock",
      providerType: "mock",
      stream: false,
      status: 200,
      errorCode: null,
      finishReason: "stop",
      usage: {
        promptTokens: body.usage.prompt_tokens,
        completionTokens: body.usage.completion_tokens,
      },
    });
    expect(entry.latencyMs).toBeGreaterThanOrEqual(0);
    expect(entry.requestBody).toContain("Hello gateway");
    expect(JSON.parse(entry.responseBody!)).toEqual(body);
  });

  it("passes every client field through and renames a provider/model to the upstream's name", async () => {
    const g = llmGateway([provider("acme", ["big-model"])]);
    const request = {
      model: "acme/big-model",
      messages: [
        { role: "system", content: "be brief" },
        {
          role: "user",
          content: [
            { type: "text", text: "what is this" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "lookup",
            parameters: { type: "object", properties: { q: { type: "string" } } },
          },
        },
      ],
      tool_choice: "auto",
      parallel_tool_calls: true,
      response_format: {
        type: "json_schema",
        json_schema: { name: "x", schema: { type: "object" } },
      },
      n: 2,
      logprobs: true,
      top_logprobs: 2,
      seed: 42,
      user: "u",
      temperature: 0.2,
      some_future_field: { nested: [1, 2, 3] },
    };
    const res = await g.post("/v1/chat/completions", request);
    expect(res.status).toBe(200);
    expect(g.seen).toHaveLength(1);
    expect(g.seen[0]!.body).toEqual({ ...request, model: "big-model" });
    expect(JSON.parse(g.seen[0]!.options.bodyText!)).toEqual({ ...request, model: "big-model" });
    expect(g.recorded[0]).toMatchObject({
      requestedModel: "acme/big-model",
      servedModel: "big-model",
      providerId: "acme",
    });
  });

  it("sends the client's own bytes upstream when nothing needs changing", async () => {
    const g = llmGateway([provider("mock", ["mock-gpt"])]);
    const raw =
      '{ "model" : "mock-gpt", "messages": [{"role":"user","content":"x"}], "seed": 1e3 }';
    expect((await g.post("/v1/chat/completions", raw)).status).toBe(200);
    expect(g.seen[0]!.options.bodyText).toBe(raw);
  });

  it("adds stream_options.include_usage to a stream request without re-serializing it", async () => {
    const g = llmGateway([provider("mock", ["mock-gpt"]), provider("other", ["x"])]);
    const raw =
      '  {"model":"mock-gpt","stream":true,"messages":[{"role":"user","content":"x"}],"big":1e400}';
    expect((await g.post("/v1/chat/completions", raw)).status).toBe(200);
    expect(g.seen[0]!.options.bodyText).toBe(
      '  {"stream_options":{"include_usage":true},"model":"mock-gpt","stream":true,"messages":[{"role":"user","content":"x"}],"big":1e400}',
    );
    // With a rename or the client's own stream_options, the body is serialized with both applied.
    await g.post("/v1/chat/completions", {
      model: "other/x",
      stream: true,
      stream_options: { include_usage: false, extra: 1 },
      messages: MESSAGES,
    });
    expect(JSON.parse(g.seen[1]!.options.bodyText!)).toEqual({
      model: "x",
      stream: true,
      stream_options: { include_usage: true, extra: 1 },
      messages: MESSAGES,
    });
  });

  it("returns tool calls (parallel) for tools, honouring tool_choice", async () => {
    const g = llmGateway([provider("mock", ["mock-gpt"])]);
    const tools = ["a", "b"].map((name) => ({
      type: "function",
      function: { name, parameters: { type: "object", properties: { city: { type: "string" } } } },
    }));
    const res = await g.post("/v1/chat/completions", {
      model: "mock-gpt",
      messages: MESSAGES,
      tools,
    });
    const body = await res.json();
    expect(body.choices[0].finish_reason).toBe("tool_calls");
    expect(
      body.choices[0].message.tool_calls.map(
        (c: { function: { name: string } }) => c.function.name,
      ),
    ).toEqual(["a", "b"]);
    expect(g.recorded[0]!.finishReason).toBe("tool_calls");
  });
});

describe("model resolution", () => {
  const providers = [
    provider("first", ["shared", "only-first"]),
    provider("second", ["shared", "only-second"]),
    provider("open", []),
  ];

  it("routes a plain id to the first provider offering it, and provider/model to that provider", async () => {
    const g = llmGateway(providers);
    await g.post("/v1/chat/completions", { model: "shared", messages: MESSAGES });
    await g.post("/v1/chat/completions", { model: "second/shared", messages: MESSAGES });
    await g.post("/v1/chat/completions", { model: "open/anything-goes", messages: MESSAGES });
    expect(g.seen.map((s) => [s.config.id, s.body.model])).toEqual([
      ["first", "shared"],
      ["second", "shared"],
      ["open", "anything-goes"],
    ]);
  });

  it("is 404 model_not_found listing what the key may use", async () => {
    const g = llmGateway(providers);
    const res = await g.post("/v1/chat/completions", { model: "gpt-9", messages: MESSAGES });
    expect(res.status).toBe(404);
    const error = await errorOf(res);
    expect(error).toMatchObject({
      code: "model_not_found",
      param: "model",
      type: "invalid_request_error",
    });
    expect(error.message).toContain("`gpt-9` does not exist");
    expect(error.message).toContain(
      "Available models: shared, only-first, only-second, first/shared",
    );
    expect(g.seen).toHaveLength(0);
    expect(g.recorded[0]).toMatchObject({
      status: 404,
      errorCode: "model_not_found",
      providerId: null,
    });
  });

  it("truncates a long list of available models", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const g = llmGateway([provider("p", many)]);
    const error = await errorOf(
      await g.post("/v1/chat/completions", { model: "nope", messages: MESSAGES }),
    );
    expect(error.message).toMatch(/and 60 more; see GET \/v1\/models/);
  });

  it("narrows by the key's allow-list: 403 model_not_allowed, and plain ids pick an allowed provider", async () => {
    const g = llmGateway(providers);
    const { secret } = g.addKey({ orgId: "org_a", allowedModels: ["second/shared", "only-first"] });
    const call = (model: string) =>
      g.call("/v1/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${secret}` },
        body: JSON.stringify({ model, messages: MESSAGES }),
      });
    expect((await call("shared")).status).toBe(200);
    expect(g.seen.at(-1)!.config.id).toBe("second");
    expect((await call("only-first")).status).toBe(200);
    const refused = await call("only-second");
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({
      code: "model_not_allowed",
      type: "permission_error",
      param: "model",
    });
    expect((await call("first/shared")).status).toBe(403);
    const unknown = await errorOf(await call("nope"));
    expect(unknown.message).toContain(
      "Available models: shared, only-first, first/only-first, second/shared.",
    );
  });
});

describe("GET /v1/models over the provider directory", () => {
  it("lists plain ids and provider/model ids, narrowed by the key's allow-list", async () => {
    const g = llmGateway([provider("a", ["x", "y"]), provider("b", ["y", "z"])]);
    const list = async (secret: string) => {
      const res = await g.call("/v1/models", { headers: { authorization: `Bearer ${secret}` } });
      return ((await res.json()) as { data: { id: string; owned_by: string }[] }).data.map(
        (m) => `${m.id}@${m.owned_by}`,
      );
    };
    expect(await list(g.secret)).toEqual(["x@a", "y@a", "z@b", "a/x@a", "a/y@a", "b/y@b", "b/z@b"]);
    const limited = g.addKey({ orgId: "org_a", allowedModels: ["b/*", "x"] });
    expect(await list(limited.secret)).toEqual(["x@a", "y@b", "z@b", "a/x@a", "b/y@b", "b/z@b"]);
    const one = await g.call("/v1/models/b/z", {
      headers: { authorization: `Bearer ${limited.secret}` },
    });
    expect(await one.json()).toEqual({ id: "b/z", object: "model", created: 0, owned_by: "b" });
  });
});

describe("request validation", () => {
  const g = llmGateway([provider("mock", ["mock-gpt", "mock-embed"])]);
  const cases: [string, unknown, number, Record<string, unknown>][] = [
    [
      "missing model",
      { messages: MESSAGES },
      400,
      { param: "model", code: "missing_required_parameter" },
    ],
    [
      "model of the wrong type",
      { model: 7, messages: MESSAGES },
      400,
      { param: "model", code: "invalid_type" },
    ],
    [
      "missing messages",
      { model: "mock-gpt" },
      400,
      { param: "messages", code: "missing_required_parameter" },
    ],
    [
      "empty messages",
      { model: "mock-gpt", messages: [] },
      400,
      { param: "messages", code: "empty_array" },
    ],
    [
      "messages not an array",
      { model: "mock-gpt", messages: "hi" },
      400,
      { param: "messages", code: "invalid_type" },
    ],
    [
      "a message without a role",
      { model: "mock-gpt", messages: [{ content: "x" }] },
      400,
      { param: "messages[0].role" },
    ],
    [
      "content of the wrong type",
      { model: "mock-gpt", messages: [{ role: "user", content: 5 }] },
      400,
      { param: "messages[0].content" },
    ],
    [
      "stream not a boolean",
      { model: "mock-gpt", messages: MESSAGES, stream: "yes" },
      400,
      { param: "stream" },
    ],
    [
      "stream_options not an object",
      { model: "mock-gpt", messages: MESSAGES, stream: true, stream_options: 1 },
      400,
      { param: "stream_options" },
    ],
    ["n not an integer", { model: "mock-gpt", messages: MESSAGES, n: 1.5 }, 400, { param: "n" }],
    [
      "temperature a string",
      { model: "mock-gpt", messages: MESSAGES, temperature: "hot" },
      400,
      { param: "temperature" },
    ],
    [
      "user not a string",
      { model: "mock-gpt", messages: MESSAGES, user: { id: 1 } },
      400,
      { param: "user" },
    ],
    [
      "tools not an array",
      { model: "mock-gpt", messages: MESSAGES, tools: {} },
      400,
      { param: "tools" },
    ],
    ["a body that is an array", [1, 2], 400, { code: "invalid_json" }],
    ["a body that is a string", '"hello"', 400, { code: "invalid_json" }],
    ["garbage", "{not json", 400, { code: "invalid_json", param: null }],
    ["an empty body", "", 400, { code: "invalid_json" }],
  ];
  for (const [name, body, status, error] of cases) {
    it(`refuses ${name} with ${status} in OpenAI's shape`, async () => {
      const res = await g.post("/v1/chat/completions", body);
      expect(res.status).toBe(status);
      const e = await errorOf(res);
      expect(e).toMatchObject({ type: "invalid_request_error", ...error });
      expect(typeof e.message).toBe("string");
    });
  }

  it("refuses bytes that are not UTF-8", async () => {
    const bad = new Uint8Array([
      ...Buffer.from('{"model":"mock-gpt","messages":[{"role":"user","content":"'),
      0xff,
      0xfe,
      ...Buffer.from('"}]}'),
    ]);
    const res = await g.post("/v1/chat/completions", bad);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: "invalid_encoding" });
  });

  it("refuses a body over 10 MB with 413, declared or streamed", async () => {
    const big = JSON.stringify({
      model: "mock-gpt",
      messages: [{ role: "user", content: "x".repeat(10 * 1024 * 1024) }],
    });
    const declared = await g.post("/v1/chat/completions", big);
    expect(declared.status).toBe(413);
    expect(await errorOf(declared)).toMatchObject({
      code: "request_too_large",
      type: "invalid_request_error",
    });
    const bytes = Buffer.from(big);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= bytes.length) return c.close();
        c.enqueue(bytes.subarray(sent, sent + 1024 * 1024));
        sent += 1024 * 1024;
      },
    });
    const streamed = await g.call("/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${g.secret}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("validates the metadata header", async () => {
    const send = (value: string) =>
      g.post(
        "/v1/chat/completions",
        { model: "mock-gpt", messages: MESSAGES },
        { "x-switchyard-metadata": value },
      );
    for (const bad of ["not json", "[1]", '{"a":1}', JSON.stringify({ a: "x".repeat(5000) })]) {
      const res = await send(bad);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: "invalid_metadata" });
    }
    expect((await send(JSON.stringify({ a: "b", c: "" }))).status).toBe(200);
  });

  it("records 4xx after authentication, but nothing for requests that fail authentication", async () => {
    const fresh = llmGateway([provider("mock", ["mock-gpt"])]);
    await fresh.post("/v1/chat/completions", { model: "mock-gpt" });
    await fresh.call("/v1/chat/completions", { method: "POST", body: "{}" });
    expect(fresh.recorded).toHaveLength(1);
    expect(fresh.recorded[0]).toMatchObject({
      status: 400,
      errorCode: "missing_required_parameter",
      requestedModel: "mock-gpt",
    });
  });

  it("answers 405 for other methods", async () => {
    const res = await g.call("/v1/chat/completions", {
      headers: { authorization: `Bearer ${g.secret}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe("streaming", () => {
  it("streams SSE without the usage chunk unless asked, and records usage either way", async () => {
    const g = llmGateway([provider("mock", ["mock-gpt"])]);
    const plain = await g.post("/v1/chat/completions", {
      model: "mock-gpt",
      messages: MESSAGES,
      stream: true,
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const events = sseData(await plain.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(chunks.map((c) => c.choices[0].delta.content ?? "").join("")).toBe("Hello gateway");
    // The gateway asked upstream for usage on the client's behalf…
    expect(g.seen[0]!.body.stream_options).toEqual({ include_usage: true });
    // …and recorded it.
    expect(g.recorded[0]).toMatchObject({
      stream: true,
      status: 200,
      finishReason: "stop",
      usage: { promptTokens: expect.any(Number) },
    });
    expect(g.recorded[0]!.ttftMs).not.toBeNull();
    expect(JSON.parse(g.recorded[0]!.responseBody!).choices[0].message.content).toBe(
      "Hello gateway",
    );

    const withUsage = await g.post("/v1/chat/completions", {
      model: "mock-gpt",
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const usageEvents = sseData(await withUsage.text());
    const last = JSON.parse(usageEvents.at(-2)!);
    expect(last.choices).toEqual([]);
    expect(last.usage.total_tokens).toBe(g.recorded[1]!.usage!.totalTokens);
  });

  it("ends a broken stream with an error event and no [DONE], and records it as a failure", async () => {
    const g = llmGateway([provider("mock", ["mock-stream-break"])]);
    const res = await g.post("/v1/chat/completions", {
      model: "mock-stream-break",
      messages: MESSAGES,
      stream: true,
    });
    expect(res.status).toBe(200);
    const events = sseData(await res.text());
    expect(events).not.toContain("[DONE]");
    expect(JSON.parse(events.at(-1)!)).toEqual({
      error: {
        message: expect.stringContaining("Upstream provider 'mock' failed"),
        type: "server_error",
        param: null,
        code: "upstream_stream_error",
      },
    });
    expect(g.recorded[0]).toMatchObject({
      status: 502,
      errorCode: "upstream_stream_error",
      stream: true,
    });
  });

  it("answers a failure before the first byte as a JSON error", async () => {
    const g = llmGateway([provider("mock", ["mock-error-500", "mock-rate-limit"])]);
    const res = await g.post("/v1/chat/completions", {
      model: "mock-error-500",
      messages: MESSAGES,
      stream: true,
    });
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await errorOf(res)).toMatchObject({
      type: "server_error",
      code: "upstream_error",
      message: expect.stringMatching(/^Upstream provider returned 500: /),
    });
  });

  it("cancels the upstream as soon as the client goes away, and records the abort", async () => {
    let cancelled = false;
    const enc = new TextEncoder();
    const endless: ProviderAdapter["chatStream"] = async () => ({
      body: new ReadableStream<Uint8Array>({
        pull(c) {
          return new Promise((r) => setTimeout(r, 5)).then(() =>
            c.enqueue(
              enc.encode(
                `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "x" } }] })}\n\n`,
              ),
            ),
          );
        },
        cancel() {
          cancelled = true;
        },
      }),
    });
    const spies = spyAdapters({ chatStream: endless });
    const g = llmGateway([provider("mock", ["mock-gpt"])], { adapters: spies.registry });
    const res = await g.post("/v1/chat/completions", {
      model: "mock-gpt",
      messages: MESSAGES,
      stream: true,
    });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(cancelled).toBe(true);
    expect(g.recorded).toHaveLength(1);
    expect(g.recorded[0]).toMatchObject({ status: 499, errorCode: "client_closed_request" });
  });
});

describe("upstream failures", () => {
  const fail = (err: ProviderError) => {
    const spies = spyAdapters({
      chat: async () => {
        throw err;
      },
    });
    return llmGateway([provider("mock", ["m"])], { adapters: spies.registry });
  };
  const send = (g: ReturnType<typeof fail>) =>
    g.post("/v1/chat/completions", { model: "m", messages: MESSAGES });

  it("keeps an upstream 4xx's status, message, param and code", async () => {
    const g = fail(
      new ProviderError({
        message: "Invalid 'max_tokens'.",
        status: 400,
        param: "max_tokens",
        code: "invalid_value",
        type: "invalid_request_error",
      }),
    );
    const res = await send(g);
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toEqual({
      message: "Invalid 'max_tokens'.",
      type: "invalid_request_error",
      param: "max_tokens",
      code: "invalid_value",
    });
  });

  it("keeps Retry-After on 429", async () => {
    const res = await send(
      fail(
        new ProviderError({
          message: "Slow down",
          status: 429,
          retryAfterMs: 1500,
          code: "rate_limit_exceeded",
        }),
      ),
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await errorOf(res)).toMatchObject({
      type: "rate_limit_error",
      code: "rate_limit_exceeded",
      message: "Slow down",
    });
  });

  it("turns 5xx into 502 naming the upstream status, timeouts into 504, auth failures into 502", async () => {
    const five = await send(fail(new ProviderError({ message: "boom", status: 503 })));
    expect(five.status).toBe(502);
    expect((await errorOf(five)).message).toBe("Upstream provider returned 503: boom");
    const slow = await send(
      fail(
        new ProviderError({
          message: "the upstream did not respond within 50 ms",
          status: 504,
          kind: "timeout",
        }),
      ),
    );
    expect(slow.status).toBe(504);
    expect(await errorOf(slow)).toMatchObject({ code: "upstream_timeout", type: "server_error" });
    const auth = await send(
      fail(new ProviderError({ message: "Incorrect API key provided: sk-***", status: 401 })),
    );
    expect(auth.status).toBe(502);
    expect(await errorOf(auth)).toMatchObject({ code: "upstream_auth_error" });
  });

  it("turns an unexpected adapter fault into a logged 500 without internals, and records it", async () => {
    const spies = spyAdapters({
      chat: async () => {
        throw new Error("secret internal detail");
      },
    });
    const g = llmGateway([provider("mock", ["m"])], { adapters: spies.registry });
    const res = await send(g);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("secret internal detail");
    expect(g.logged[0]!.fields).toMatchObject({ error: "secret internal detail" });
    expect(g.recorded[0]).toMatchObject({ status: 500, errorCode: "internal_error" });
  });

  it("never lets a failing log sink fail the request", async () => {
    const g = llmGateway([provider("mock", ["mock-gpt"])], {
      requestLog: {
        record: () => {
          throw new Error("queue exploded");
        },
      },
    });
    const res = await g.post("/v1/chat/completions", { model: "mock-gpt", messages: MESSAGES });
    expect(res.status).toBe(200);
    expect(g.logged.map((l) => l.msg)).toContain("request log sink failed");
  });
});

describe("embeddings and legacy completions", () => {
  it("embeds a string and a batch, as floats or base64, with dimensions", async () => {
    const g = llmGateway([provider("mock", ["mock-embed"])]);
    const one = await (
      await g.post("/v1/embeddings", { model: "mock-embed", input: "hello" })
    ).json();
    expect(one.data).toHaveLength(1);
    expect(one.data[0].embedding).toHaveLength(64);
    const batch = await (
      await g.post("/v1/embeddings", { model: "mock-embed", input: ["a", "b", "c"], dimensions: 8 })
    ).json();
    expect(batch.data.map((d: { index: number }) => d.index)).toEqual([0, 1, 2]);
    expect(batch.data[0].embedding).toHaveLength(8);
    const b64 = await (
      await g.post("/v1/embeddings", {
        model: "mock-embed",
        input: ["a"],
        dimensions: 8,
        encoding_format: "base64",
      })
    ).json();
    const floats = new Float32Array(
      new Uint8Array(Buffer.from(b64.data[0].embedding, "base64")).buffer,
    );
    expect(Array.from(floats)).toEqual(batch.data[0].embedding.map((x: number) => Math.fround(x)));
    expect(g.recorded.map((e) => [e.endpoint, e.status, e.usage?.promptTokens])).toEqual([
      ["embeddings", 200, 2],
      ["embeddings", 200, 3],
      ["embeddings", 200, 1],
    ]);
    const bad = await g.post("/v1/embeddings", {
      model: "mock-embed",
      input: "x",
      encoding_format: "hex",
    });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ param: "encoding_format" });
    expect((await g.post("/v1/embeddings", { model: "mock-embed" })).status).toBe(400);
  });

  it("serves /v1/completions, and refuses it clearly for a provider type without it", async () => {
    const g = llmGateway([
      provider("mock", ["mock-gpt"]),
      provider("chat-only", ["chatty"], "spy-nocompletions"),
    ]);
    const ok = await g.post("/v1/completions", { model: "mock-gpt", prompt: "Once upon" });
    expect(ok.status).toBe(200);
    expect((await ok.json()).choices[0].text).toBe(" Once upon");
    const refused = await g.post("/v1/completions", { model: "chatty", prompt: "Once upon" });
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toMatchObject({
      code: "unsupported_endpoint",
      param: "model",
      message:
        "Provider 'chat-only' (type 'spy-nocompletions') does not support /v1/completions. Use /v1/chat/completions instead.",
    });
    expect(g.recorded.map((e) => [e.endpoint, e.status])).toEqual([
      ["completions", 200],
      ["completions", 400],
    ]);
  });
});

describe("org settings", () => {
  it("keeps no bodies for an org that turned body storage off", async () => {
    const g = llmGateway([provider("mock", ["mock-gpt"])], {
      orgSettings: { get: async () => ({ storeBodies: false }) },
    });
    await g.post("/v1/chat/completions", { model: "mock-gpt", messages: MESSAGES });
    await g
      .post("/v1/chat/completions", { model: "mock-gpt", messages: MESSAGES, stream: true })
      .then((r) => r.text());
    expect(g.recorded.map((e) => [e.requestBody, e.responseBody])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});
