import { rmSync } from "node:fs";
import OpenAI, { APIError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, startServer, type ServerProcess } from "../http/server-process";
import {
  connectToServerDb,
  createKey,
  createOrg,
  createOrgProvider,
  eventually,
  sleep,
  startMockUpstream,
  type MockUpstream,
  type Sql,
} from "./harness";

/**
 * The official `openai` SDK against a running Switchyard (API-only process), whose instance
 * provider `openai` is the bench mock upstream. A second mock with added latency is an org
 * provider with a tiny first-byte timeout.
 */

const dataDir = freshDataDir("sdk-openai");
let mock: MockUpstream;
let slowMock: MockUpstream;
let server: ServerProcess;
let sql: Sql;
let client: OpenAI;
let secret: string;
let orgId: string;

const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 10)}`;
const user = (content: string) => [{ role: "user" as const, content }];

beforeAll(async () => {
  [mock, slowMock] = await Promise.all([
    startMockUpstream([], { MOCK_CHUNK_DELAY_MS: "2" }),
    startMockUpstream(["--latency", "2000"]),
  ]);
  server = await startServer({
    dataDir,
    env: {
      SWITCHYARD_SERVE_CONSOLE: "0",
      OPENAI_BASE_URL: mock.url,
      OPENAI_API_KEY: "sk-mock-upstream",
    },
  });
  sql = connectToServerDb(dataDir);
  orgId = await createOrg(sql);
  ({ secret } = await createKey(sql, orgId));
  await createOrgProvider(sql, orgId, {
    name: "slow",
    baseUrl: slowMock.url,
    models: ["gpt-4o-mini"],
    timeouts: { firstByteMs: 300 },
  });
  client = new OpenAI({
    baseURL: `${server.baseUrl}/v1`,
    apiKey: secret,
    maxRetries: 0,
    timeout: 20_000,
  });
}, 180_000);

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  if (server && server.child.exitCode === null) await server.stop("SIGTERM");
  await Promise.all([mock?.stop(), slowMock?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("chat completions through the SDK", () => {
  it("answers a non-streamed chat, echoing the request id (to the client and upstream)", async () => {
    const marker = unique("non-stream");
    const { data, response } = await client.chat.completions
      .create(
        { model: "gpt-4o-mini", messages: user(marker) },
        { headers: { "x-request-id": "sdk-chat-1" } },
      )
      .withResponse();
    expect(response.headers.get("x-request-id")).toBe("sdk-chat-1");
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]!.message.content).toContain(marker);
    expect(data.usage!.total_tokens).toBeGreaterThan(0);
    const seen = await mock.requests(marker);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ requestId: "sdk-chat-1", model: "gpt-4o-mini", stream: false });
  });

  it("routes provider/model ids", async () => {
    const res = await client.chat.completions.create({
      model: "openai/gpt-4o",
      messages: user("hi"),
    });
    expect(res.model).toBe("gpt-4o");
  });

  it("streams the same answer; no usage chunk unless asked, usage chunk when asked", async () => {
    const text = unique("stream me");
    const whole = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user(text),
    });

    const plain = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user(text),
      stream: true,
    });
    let streamed = "";
    let sawUsage = false;
    for await (const chunk of plain) {
      streamed += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) sawUsage = true;
      expect(chunk.choices.length).toBeGreaterThan(0);
    }
    expect(streamed).toBe(whole.choices[0]!.message.content);
    expect(sawUsage).toBe(false);

    const withUsage = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user(text),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of withUsage) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens: whole.usage!.prompt_tokens,
      completion_tokens: whole.usage!.completion_tokens,
    });
  });

  it("streams tool calls that assemble to the non-streamed ones", async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: "function",
        function: {
          name: "get_weather",
          parameters: {
            type: "object",
            properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } },
          },
        },
      },
      {
        type: "function",
        function: {
          name: "get_time",
          parameters: { type: "object", properties: { tz: { type: "string" } } },
        },
      },
    ];
    const messages = user("weather and time in Paris");
    const whole = await client.chat.completions.create({ model: "gpt-4o-mini", messages, tools });
    const expected = whole.choices[0]!.message.tool_calls!.map(
      (c) => c.type === "function" && [c.function.name, c.function.arguments],
    );
    expect(expected).toHaveLength(2);
    expect(whole.choices[0]!.finish_reason).toBe("tool_calls");

    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages,
      tools,
      stream: true,
    });
    const calls: { name: string; args: string }[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        calls[delta.index] ??= { name: "", args: "" };
        calls[delta.index]!.name += delta.function?.name ?? "";
        calls[delta.index]!.args += delta.function?.arguments ?? "";
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(calls.map((c) => [c.name, c.args])).toEqual(expected);
    expect(finish).toBe("tool_calls");
  });

  it("passes structured output requests through", async () => {
    const res = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("a city"),
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "city",
          schema: {
            type: "object",
            properties: { name: { type: "string" }, population: { type: "integer" } },
          },
        },
      },
      n: 2,
      seed: 3,
    });
    expect(res.choices).toHaveLength(2);
    expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({
      name: "mock-name",
      population: 7,
    });
  });
});

describe("embeddings and models through the SDK", () => {
  it("embeds a string, a batch, and base64 (the SDK's default) equal to floats", async () => {
    const single = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: "hello",
      encoding_format: "float",
    });
    expect(single.data).toHaveLength(1);
    expect(single.data[0]!.embedding).toHaveLength(1536);
    const batch = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["hello", "world"],
      dimensions: 16,
      encoding_format: "float",
    });
    expect(batch.data.map((d) => d.embedding.length)).toEqual([16, 16]);
    // Without encoding_format the SDK asks for base64 and decodes it.
    const decoded = await client.embeddings.create({
      model: "text-embedding-3-small",
      input: ["hello", "world"],
      dimensions: 16,
    });
    expect(decoded.data[1]!.embedding).toEqual(batch.data[1]!.embedding.map((x) => Math.fround(x)));
    expect(batch.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("lists the models this key may use, plain and provider-qualified", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "gpt-4o-mini",
        "openai/gpt-4o-mini",
        "text-embedding-3-small",
        "slow/gpt-4o-mini",
      ]),
    );
    const one = await client.models.retrieve("openai/gpt-4o-mini");
    expect(one).toMatchObject({ id: "openai/gpt-4o-mini", object: "model", owned_by: "openai" });
  });

  it("narrows models to the key's allow-list and refuses others with 403", async () => {
    const { secret: limited } = await createKey(sql, orgId, ["gpt-4o-mini"]);
    const narrow = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: limited, maxRetries: 0 });
    const ids: string[] = [];
    for await (const m of narrow.models.list()) ids.push(m.id);
    expect(ids.sort()).toEqual(["gpt-4o-mini", "openai/gpt-4o-mini", "slow/gpt-4o-mini"].sort());
    const err = await narrow.chat.completions
      .create({ model: "gpt-4o", messages: user("x") })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((err as APIError).code).toBe("model_not_allowed");
  });
});

describe("errors through the SDK", () => {
  it("401 for a bad key", async () => {
    const bad = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: "sy-nope", maxRetries: 0 });
    const err = await bad.chat.completions
      .create({ model: "gpt-4o-mini", messages: user("x") })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as APIError).status).toBe(401);
  });

  it("400 with param for a bad body, echoing the request id", async () => {
    const err = (await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [] }, { headers: { "x-request-id": "sdk-bad-1" } })
      .catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe("messages");
    expect(err.requestID).toBe("sdk-bad-1");
  });

  it("404 model_not_found listing available models", async () => {
    const err = (await client.chat.completions
      .create({ model: "gpt-17", messages: user("x") })
      .catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe("model_not_found");
    expect(err.message).toContain("Available models:");
  });

  it("429 from upstream keeps Retry-After", async () => {
    const err = (await client.chat.completions
      .create({ model: "mock-rate-limit", messages: user("x") })
      .catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers?.get("retry-after")).toBe("1");
    expect(err.code).toBe("rate_limit_exceeded");
  });

  it("upstream 500 becomes 502 naming the upstream status", async () => {
    const err = (await client.chat.completions
      .create({ model: "mock-error-500", messages: user("x") })
      .catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.status).toBe(502);
    expect(err.message).toContain("Upstream provider returned 500:");
  });

  it("a provider slower than its first-byte timeout gives 504 (stream or not)", async () => {
    const started = Date.now();
    const err = (await client.chat.completions
      .create({ model: "slow/gpt-4o-mini", messages: user("x") })
      .catch((e: unknown) => e)) as APIError;
    expect(err.status).toBe(504);
    expect(err.code).toBe("upstream_timeout");
    expect(Date.now() - started).toBeLessThan(1_800);
    const streamErr = (await client.chat.completions
      .create({ model: "slow/gpt-4o-mini", messages: user("x"), stream: true })
      .catch((e: unknown) => e)) as APIError;
    expect(streamErr.status).toBe(504);
  });

  it("a stream that breaks upstream ends with an error event and no [DONE]", async () => {
    const stream = await client.chat.completions.create({
      model: "mock-stream-break",
      messages: user("x"),
      stream: true,
    });
    const got: string[] = [];
    const err = await (async () => {
      for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toMatch(/Upstream provider 'openai' failed/);
    expect(got.length).toBeGreaterThan(0);

    const raw = await fetch(`${server.baseUrl}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "mock-stream-break", messages: user("x"), stream: true }),
    });
    const text = await raw.text();
    expect(text).not.toContain("[DONE]");
    expect(text.trim().split("\n\n").at(-1)).toMatch(
      /^data: \{"error":\{.*"code":"upstream_stream_error"\}\}$/,
    );
  });
});

describe("aborts and logging", () => {
  it("aborting mid-stream aborts the upstream request at once", async () => {
    const marker = unique("abort me");
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "mock-long-stream", messages: user(marker), stream: true },
      { signal: controller.signal },
    );
    let n = 0;
    await (async () => {
      for await (const _chunk of stream) {
        if (++n === 3) controller.abort();
      }
    })().catch(() => {});
    const [record] = await eventually(async () => {
      const seen = await mock.requests(marker);
      return seen.length === 1 && seen[0]!.outcome !== "pending" && seen;
    }, 5_000);
    expect(record).toMatchObject({ outcome: "client-aborted", stream: true });
  });

  it("records every request in the request log, streams with their usage", async () => {
    const { data, response } = await client.chat.completions
      .create(
        { model: "gpt-4o-mini", messages: user("log me"), stream: true },
        { headers: { "x-request-id": "sdk-log-stream" } },
      )
      .withResponse();
    expect(response.headers.get("x-request-id")).toBe("sdk-log-stream");
    for await (const chunk of data) void chunk;
    await client.chat.completions
      .create(
        { model: "nope", messages: user("x") },
        { headers: { "x-request-id": "sdk-log-404" } },
      )
      .catch(() => {});
    const rows = await eventually(async () => {
      const found = await sql<
        {
          id: string;
          client_request_id: string;
          status: number;
          stream: boolean;
          prompt_tokens: number | null;
          provider_id: string | null;
          error_code: string | null;
        }[]
      >`
        select id, client_request_id, status, stream, prompt_tokens, provider_id, error_code from request_logs
        where client_request_id in ('sdk-log-stream', 'sdk-log-404') order by client_request_id`;
      return found.length === 2 && found;
    }, 10_000);
    // Rows carry ids of Switchyard's own; the client's x-request-id is kept beside them.
    expect(rows.every((r) => r.id.startsWith("req_"))).toBe(true);
    expect(rows[0]).toMatchObject({
      client_request_id: "sdk-log-404",
      status: 404,
      error_code: "model_not_found",
    });
    expect(rows[1]).toMatchObject({
      client_request_id: "sdk-log-stream",
      status: 200,
      stream: true,
      provider_id: "openai",
    });
    expect(rows[1]!.prompt_tokens).toBeGreaterThan(0);
  });

  it("keeps serving after all of the above", async () => {
    await sleep(10);
    const res = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("still here"),
    });
    expect(res.choices[0]!.message.content).toContain("still here");
  });
});
